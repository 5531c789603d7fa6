import type { FileHandle } from 'node:fs/promises';
import type { CacheEntry } from '../cache-entry';
import { ByteSink } from '../byte-sink';
import { FILE_FORMAT, writeEntry } from './cache-file-format';
import type { CacheFileIndex } from './cache-file-reader';
import { entryBytesHash } from './entry-bytes-hash';

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
  // Entries are encoded straight into one buffer, written once it holds about WRITE_BYTES
  const sink = new ByteSink(2 * WRITE_BYTES);
  sink.text(`{\n  "format": "${FILE_FORMAT}",\n  "entries": {`);
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i];
    sink.text(i === 0 ? '\n' : ',\n');
    const start = sink.used;
    writeEntry(sink, entry);
    if (index) {
      // The reader hashes an entry's value bytes: from the `{` after `"key": ` to its `}`
      const head = 4 + Buffer.byteLength(JSON.stringify(entry.key)) + 2;
      hashes.set(entry.key, entryBytesHash(sink.view(start + head)));
    }
    if (sink.used >= WRITE_BYTES) {
      await writeAll(handle, sink.view());
      sink.clear();
    }
  }
  sink.text(sorted.length ? '\n  }\n}\n' : '}\n}\n');
  await writeAll(handle, sink.view());
  return index ? { hashes } : undefined;
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
  }
}
