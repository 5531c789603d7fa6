import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEntry, type CacheEntry } from '../cache-entry';
import { formatCacheFile } from './cache-file-format';
import { readCacheFile } from './cache-file-reader';
import { writeCacheFile } from './cache-file-writer';

const dir = mkdtempSync(join(tmpdir(), 'precompute-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function write(name: string, entries: readonly CacheEntry[], index: boolean) {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  const written = await writeCacheFile(handle, entries, index);
  await handle.close();
  return { path, index: written };
}

describe('writeCacheFile', () => {
  const entries = [
    createEntry('GET /z', { rows: Array.from({ length: 3000 }, (_, i) => ({ i, city: 'Zürich' })) }, 'v1', 5),
    createEntry('GET /ä?x=1', 'text', undefined, 1),
    createEntry('GET /a', [1, 2], undefined, 2),
  ];

  it('writes the same bytes as formatCacheFile, over several writes', async () => {
    const { path } = await write('same.json', entries, false);
    expect(readFileSync(path, 'utf8')).toBe([...formatCacheFile(entries)].join(''));
    const { path: empty } = await write('empty.json', [], false);
    expect(readFileSync(empty, 'utf8')).toBe([...formatCacheFile([])].join(''));
  });

  it('returns the index a read of the file builds, so the next re-read parses nothing unchanged', async () => {
    const { path, index } = await write('indexed.json', entries, true);
    expect(index?.hashes).toEqual((await readCacheFile(path, 'f')).index.hashes);
    expect(index?.hashes.size).toBe(3);
  });
});
