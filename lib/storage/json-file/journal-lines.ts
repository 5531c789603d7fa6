import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 4 << 20;

/**
 * Reads a file line by line, a few MiB at a time: a journal can outgrow the
 * 512 MiB a string can hold (a run of a million results killed before its
 * compaction), and must still be replayed. Calls `onLine` with each complete
 * line (without its newline); returns the bytes read and the unterminated
 * last piece (a line cut short by a crash), if any.
 */
export function readJournalLines(path: string, onLine: (line: string) => void): { bytes: number; tail: string } {
  const fd = openSync(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let bytes = 0;
    for (;;) {
      if (filled === buffer.length) {
        // One line longer than the buffer: grow it to hold the line
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, bytes + filled);
      if (read === 0) break;
      filled += read;
      let start = 0;
      for (let newline = buffer.indexOf(10, start); newline !== -1 && newline < filled; newline = buffer.indexOf(10, start)) {
        onLine(buffer.toString('utf8', start, newline));
        start = newline + 1;
      }
      buffer.copy(buffer, 0, start, filled);
      filled -= start;
      bytes += start;
    }
    return { bytes: bytes + filled, tail: buffer.toString('utf8', 0, filled) };
  } finally {
    closeSync(fd);
  }
}
