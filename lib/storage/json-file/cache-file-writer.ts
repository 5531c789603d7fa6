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
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const push = async (text: string): Promise<Buffer> => {
    const bytes = Buffer.from(text);
    pending.push(bytes);
    pendingBytes += bytes.length;
    if (pendingBytes >= WRITE_BYTES) {
      await writeAll(handle, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    }
    return bytes;
  };
  await push(`{\n  "format": "${FILE_FORMAT}",\n  "entries": {`);
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i];
    const bytes = await push(`${i === 0 ? '\n' : ',\n'}${formatEntry(entry)}`);
    if (index) {
      // The reader hashes an entry's value bytes: from the `{` after `"key": ` to its `}`
      const head = (i === 0 ? 1 : 2) + 4 + Buffer.byteLength(JSON.stringify(entry.key)) + 2;
      hashes.set(entry.key, entryBytesHash(bytes.subarray(head)));
    }
  }
  await push(sorted.length ? '\n  }\n}\n' : '}\n}\n');
  if (pendingBytes > 0) await writeAll(handle, Buffer.concat(pending, pendingBytes));
  return index ? { hashes } : undefined;
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
  }
}
