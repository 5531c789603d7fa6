/**
 * The JSON file store on real files, without an app: what is on disk after
 * each operation is what a process killed at that moment leaves behind.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { watch } from 'node:fs';
import { JsonFileStore } from '../lib';
import { createEntry } from '../lib/storage/cache-entry';
import { MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir('precompute-store-');
afterAll(() => dir.cleanup());

/** Resolves when a file whose name contains `part` appears in `directory`. */
function appears(directory: string, part: string, what: string, timeoutMs = 10_000): { promise: Promise<void>; cancel(): void } {
  const watcher = watch(directory);
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve, reject) => {
    watcher.on('change', (_event, name) => {
      if (String(name).includes(part)) resolve();
    });
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  }).finally(() => {
    clearTimeout(timer);
    watcher.close();
  });
  return { promise, cancel: () => watcher.close() };
}

async function openStore(file: string, logger = new MemoryLogger()): Promise<JsonFileStore> {
  const store = new JsonFileStore({ file, watch: false });
  await store.open({ logger });
  return store;
}

describe('a put that arrives while the file is being compacted', () => {
  it('is durable once its promise resolves (0.1.0 dropped it)', async () => {
    const file = dir.file('lost-write.json');
    const store = await openStore(file);
    const payload = 'x'.repeat(100_000);
    await store.put(Array.from({ length: 200 }, (_, i) => createEntry(`k${i}`, { i, payload })));
    await store.put(Array.from({ length: 800 }, (_, i) => createEntry('tick', { i })));
    // The 1,001st journal line passes the threshold: this put compacts the ~20 MB file
    const compacting = appears(dir.path, '.tmp-', 'the compaction to create its temporary file');
    const last = store.put([createEntry('k1000', { i: 1000, payload })]);
    await compacting.promise;
    await store.put([createEntry('late', { late: true })]);
    await last;
    // What another process (or this one after kill -9) finds on disk
    const reader = await openStore(file);
    expect(reader.get('late')?.value).toEqual({ late: true });
    expect(reader.get('k1000')?.value).toEqual({ i: 1000, payload });
    await reader.close();
    await store.close();
  });
});
