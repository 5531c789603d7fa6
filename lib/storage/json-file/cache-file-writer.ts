import type { FileHandle } from 'node:fs/promises';
import type { CacheEntry } from '../cache-entry';
import { FILE_FORMAT, formatEntry } from './cache-file-format';
import { entryBytesHash, type CacheFileIndex } from './cache-file-reader';

const WRITE_BYTES = 1 << 20;

/**
 * Writes the cache file (the same bytes as `formatCacheFile`) in writes of
 * about 1 MiB, never the whole text at once. With `index`, also returns the
 * index a read of these bytes would build, so the next re-read of the file
 * (a hand edit) parses only the entries that changed.
 */
export async function writeCacheFile(handle: FileHandle, entries: Iterable<CacheEntry>, index: boolean): Promise<CacheFileIndex | undefined> {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const hashes = new Map<string, number>();
  // Texts are encoded straight into one buffer, written once it holds about WRITE_BYTES
  let chunk: Buffer = Buffer.allocUnsafe(2 * WRITE_BYTES);
  let used = 0;
  /** Encodes a text into the buffer; returns its bytes (valid until the next flush). */
  const push = (text: string): Buffer => {
    // A UTF-16 unit takes at most 3 bytes in UTF-8
    if (used + text.length * 3 > chunk.length) chunk = grown(chunk, used, text.length * 3);
    const written = chunk.write(text, used);
    used += written;
    return chunk.subarray(used - written, used);
  };
  const flush = async (): Promise<void> => {
    await writeAll(handle, chunk.subarray(0, used));
    used = 0;
  };
  push(`{\n  "format": "${FILE_FORMAT}",\n  "entries": {`);
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i];
    const bytes = push(`${i === 0 ? '\n' : ',\n'}${formatEntry(entry)}`);
    if (index) {
      // The reader hashes an entry's value bytes: from the `{` after `"key": ` to its `}`
      const head = (i === 0 ? 1 : 2) + 4 + Buffer.byteLength(JSON.stringify(entry.key)) + 2;
      hashes.set(entry.key, entryBytesHash(bytes.subarray(head)));
    }
    if (used >= WRITE_BYTES) await flush();
  }
  push(sorted.length ? '\n  }\n}\n' : '}\n}\n');
  if (used > 0) await flush();
  return index ? { hashes } : undefined;
}

/** A buffer holding the first `used` bytes of `chunk`, with room for `more` (only an entry larger than the buffer needs it). */
function grown(chunk: Buffer, used: number, more: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(chunk.length, used + more));
  chunk.copy(bigger, 0, 0, used);
  return bigger;
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
  }
}
