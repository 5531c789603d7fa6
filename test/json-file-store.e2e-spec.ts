/**
 * The JSON file store on real files, without an app: what is on disk after
 * each operation is what a process killed at that moment leaves behind.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, watch, writeFileSync } from 'node:fs';
import { JsonFileStore } from '../lib';
import { createEntry, entryValue, type CacheEntry } from '../lib/storage/cache-entry';
import { formatCacheFile } from '../lib/storage/json-file/cache-file-format';
import { MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

const valueOf = (entry: CacheEntry | undefined): unknown => (entry ? entryValue(entry) : undefined);
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

async function openStore(file: string, logger = new MemoryLogger(), watchFile = false): Promise<JsonFileStore> {
  const store = new JsonFileStore({ file, watch: watchFile });
  await store.open({ logger });
  return store;
}

describe('a put that arrives while the file is being compacted', () => {
  it('is durable once its promise resolves (0.1.0 dropped it)', async () => {
    const file = dir.file('lost-write.json');
    const store = await openStore(file);
    const payload = 'x'.repeat(100_000);
    await store.put(Array.from({ length: 200 }, (_, i) => createEntry(`k${i}`, { i, payload })));
    // The 201st journal line (a new result for an entry held) is more lines than entries: this put compacts the ~20 MB file
    const compacting = appears(dir.path, '.tmp-', 'the compaction to create its temporary file');
    const last = store.put([createEntry('k0', { i: 1000, payload })]);
    await compacting.promise;
    await store.put([createEntry('late', { late: true })]);
    await last;
    // What another process (or this one after kill -9) finds on disk
    const reader = await openStore(file);
    expect(valueOf(reader.get('late'))).toEqual({ late: true });
    expect(valueOf(reader.get('k0'))).toEqual({ i: 1000, payload });
    await reader.close();
    await store.close();
  });
});

/** Saves `text` over `file` the way editors do: a temporary file renamed over it. */
function editorSave(file: string, text: string): void {
  writeFileSync(`${file}.editor~`, text);
  renameSync(`${file}.editor~`, file);
}

const entriesOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')).entries as Record<string, { value: unknown; hash: string }>;

describe('compaction', () => {
  it('writes a temporary file and renames it over the file: a reader of the old file sees it whole', async () => {
    const file = dir.file('rename.json');
    const store = await openStore(file);
    await store.put([createEntry('a', { v: 1 })]);
    await store.close();
    const before = statSync(file).ino;
    const oldFile = openSync(file, 'r');
    const again = await openStore(file);
    await again.put([createEntry('b', { v: 2 })]);
    await again.close();
    // A new inode took the name; the old one still holds the complete old content
    expect(statSync(file).ino).not.toBe(before);
    expect(Object.keys(JSON.parse(readFileSync(oldFile, 'utf8')).entries)).toEqual(['a']);
    closeSync(oldFile);
    expect(Object.keys(entriesOf(file))).toEqual(['a', 'b']);
    expect(readdirSync(dir.path).filter((name) => name.startsWith('rename.json.tmp-'))).toEqual([]);
  });

  it('never overwrites a file that does not parse while a write is pending; writes once it is fixed', async () => {
    const file = dir.file('broken.json');
    const logger = new MemoryLogger();
    const store = await openStore(file, logger, true);
    await store.put([createEntry('a', 1)]);
    await store.flush();
    const broken = '{ "format": "nestjs-precompute/1", "entries": { oops';
    editorSave(file, broken);
    await logger.waitFor('is not valid');
    await store.put([createEntry('b', 2)]);
    await store.flush();
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(logger.lines.join('\n')).toMatch(/Not rewriting \S*broken\.json while it does not parse/);
    // The result is in the journal all the same
    expect(readFileSync(`${file}.journal`, 'utf8')).toContain('"key":"b"');
    editorSave(file, JSON.stringify({ format: 'nestjs-precompute/1', entries: { a: { value: 'fixed' } } }));
    await logger.waitFor('1 entry changed on disk');
    await store.flush();
    expect(Object.keys(entriesOf(file))).toEqual(['a', 'b']);
    expect(entriesOf(file).a.value).toBe('fixed');
    await store.close();
  });
});

describe('a hand edit against a newer journal record', () => {
  it('keeps the edit over a newer result, and takes a forced one', async () => {
    for (const force of [false, true]) {
      const file = dir.file(`edit-vs-journal-${force}.json`);
      const computed = createEntry('k', { v: 'computed' }, undefined, 1000);
      writeFileSync(
        file,
        JSON.stringify({ format: 'nestjs-precompute/1', entries: { k: { computedAt: new Date(1000).toISOString(), hash: computed.hash, value: { v: 'by hand' } } } }),
      );
      // A process records a newer result in the journal and dies before compacting
      const crashed = await openStore(file);
      await crashed.put([createEntry('k', { v: 'newer' }, undefined, 2000)], { force });
      const logger = new MemoryLogger();
      const store = await openStore(file, logger);
      expect(valueOf(store.get('k'))).toEqual(force ? { v: 'newer' } : { v: 'by hand' });
      if (!force) expect(logger.lines.join('\n')).toContain('Kept 1 hand-edited entry over newer results in the journal');
      await store.close();
      expect(entriesOf(file).k.value).toEqual(force ? { v: 'newer' } : { v: 'by hand' });
    }
  });
});

describe('the watcher', () => {
  it('off: an edit is not picked up while running, and is kept (not overwritten) at the next compaction', async () => {
    const file = dir.file('unwatched.json');
    const unwatched = await openStore(file, new MemoryLogger(), false);
    await unwatched.put([createEntry('a', 'computed')]);
    await unwatched.flush();
    const witness = new MemoryLogger();
    const watched = await openStore(file, witness, true);
    const edited = { format: 'nestjs-precompute/1', entries: { a: { value: 'by hand' } } };
    editorSave(file, JSON.stringify(edited));
    // The same change, seen by a watching store: the event has come and gone
    await witness.waitFor('1 entry changed on disk');
    expect(valueOf(watched.get('a'))).toBe('by hand');
    expect(valueOf(unwatched.get('a'))).toBe('computed');
    await unwatched.put([createEntry('b', 'computed')]);
    await unwatched.flush();
    expect(valueOf(unwatched.get('a'))).toBe('by hand');
    expect(entriesOf(file).a.value).toBe('by hand');
    await watched.close();
    await unwatched.close();
  });
});

describe('a save based on older content (the editor read the file before a compaction)', () => {
  it('keeps the newer results and the entries the save lacks, takes its hand edits, logs the counts, writes it back', async () => {
    const file = dir.file('stale-save.json');
    const logger = new MemoryLogger();
    const store = await openStore(file, logger, true);
    await store.put([createEntry('a', 'old a', undefined, 1000), createEntry('b', 'computed b', undefined, 1000)]);
    await store.flush();
    // The editor opens the file now...
    const opened = JSON.parse(readFileSync(file, 'utf8'));
    // ...meanwhile a refresh and a new combination are compacted into it...
    await store.put([createEntry('a', 'new a', undefined, 2000), createEntry('c', 'new c', undefined, 2000)]);
    await store.flush();
    // ...and the editor saves its copy with one hand edit
    opened.entries.b.value = 'b by hand';
    editorSave(file, JSON.stringify(opened));
    const line = await logger.waitFor('was saved from an older copy');
    expect(line).toContain('kept the newer value of 1 and the 1 entry the save lacked, took 1 edited or newer entry from it');
    expect(valueOf(store.get('a'))).toBe('new a');
    expect(valueOf(store.get('b'))).toBe('b by hand');
    expect(valueOf(store.get('c'))).toBe('new c');
    await waitUntil(() => (entriesOf(file).c ? true : undefined), 'the merged file written back');
    const entries = entriesOf(file);
    expect([entries.a.value, entries.b.value, entries.c.value]).toEqual(['new a', 'b by hand', 'new c']);
    await store.close();
  });
});

describe('an editor-style save landing while a 50 MB file is compacted', () => {
  const ENTRIES = 2000;
  const payload = 'x'.repeat(25_000);
  /** A separate process that renames a prepared save over the file the moment the compaction's temporary file appears. */
  const EDITOR = `
    const fs = require('node:fs');
    const [dir, file, prepared] = process.argv.slice(1);
    const watcher = fs.watch(dir, (_event, name) => {
      if (!String(name).includes('.tmp-')) return;
      watcher.close();
      fs.renameSync(prepared, file);
      process.stdout.write('SAVED');
    });
    process.stdout.write('READY');
  `;

  it('loses no edit in 10 trials: every edit is served and in the file afterwards', async () => {
    const file = dir.file('big.json');
    const entries = Array.from({ length: ENTRIES }, (_, i) => createEntry(`k${String(i).padStart(4, '0')}`, { i, payload }, undefined, 1000));
    writeFileSync(file, [...formatCacheFile(entries)].join(''));
    expect(statSync(file).size).toBeGreaterThan(50_000_000);
    for (let trial = 0; trial < 10; trial++) {
      const logger = new MemoryLogger();
      const store = await openStore(file, logger, true);
      // The editor's save: the file as it is now, with one value changed by hand
      const key = `k${String(trial * 7).padStart(4, '0')}`;
      const text = readFileSync(file, 'utf8').replace(`"i": ${trial * 7},`, `"i": ${trial * 7},\n        "editedInTrial": ${trial},`);
      writeFileSync(`${file}.prepared`, text);
      const editor = spawn(process.execPath, ['-e', EDITOR, dir.path, file, `${file}.prepared`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let said = '';
      editor.stdout.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
      await waitUntil(() => (said.includes('READY') ? true : undefined), 'the editor process to watch the directory');
      const exited = new Promise((resolve) => editor.on('close', resolve));
      // New results, then the compaction the editor's save lands in
      await store.put([createEntry(`new${trial}`, { trial }, undefined, 2000 + trial)]);
      await store.flush();
      await exited;
      expect(said).toBe('READYSAVED');
      expect(valueOf(store.get(key))).toEqual({ i: trial * 7, editedInTrial: trial, payload });
      // The save landed mid-write, and was noticed before the rename
      expect(logger.lines.join('\n')).toContain('changed while it was being compacted');
      await store.close();
      const onDisk = entriesOf(file);
      expect(onDisk[key].value).toEqual({ i: trial * 7, editedInTrial: trial, payload });
      expect(onDisk[`new${trial}`].value).toEqual({ trial });
      for (let earlier = 0; earlier < trial; earlier++) {
        expect(onDisk[`k${String(earlier * 7).padStart(4, '0')}`].value).toMatchObject({ editedInTrial: earlier });
      }
    }
  }, 300_000);
});

describe('claim() and flush()', () => {
  // Two store instances stand for two processes: each has its own hold on the file lock
  it('one process claims while the other is told to wait, then sees what the first stored', async () => {
    const file = dir.file('claims.json');
    const first = await openStore(file);
    const second = await openStore(file);
    const claim = await first.claim('k1');
    expect(claim).toBeDefined();
    // Re-entrant for the holder, refused to the other
    const another = await first.claim('k2');
    expect(another).toBeDefined();
    await expect(second.claim('k1')).resolves.toBeUndefined();
    await first.put([createEntry('k1', 'from the first')]);
    await claim?.release();
    await another?.release();
    await first.flush();
    // The lock is free after flush(); the claim picks up what the first stored
    const later = await waitUntil(() => second.claim('k1'), 'the second store to get a claim');
    expect(valueOf(second.get('k1'))).toBe('from the first');
    await later.release();
    await second.flush();
    await first.close();
    await second.close();
  });

  it('a refused claim is remembered for a moment, so many deferred keys do not each hit the disk', async () => {
    const file = dir.file('claims-cached.json');
    const holder = await openStore(file);
    const waiter = await openStore(file);
    const held = await holder.claim('a');
    await expect(waiter.claim('a')).resolves.toBeUndefined();
    const refusedAt = Date.now();
    await held?.release();
    await holder.flush();
    // Free now, but the answer of a moment ago (200 ms) still stands; a machine too slow to ask within it proves nothing
    if (Date.now() - refusedAt < 150) await expect(waiter.claim('b')).resolves.toBeUndefined();
    const claim = await waitUntil(() => waiter.claim('b'), 'the cached refusal to expire');
    await claim.release();
    await waiter.close();
    await holder.close();
  });

  it('when the directory cannot be locked, returns a claim all the same (compute and serve from memory)', async () => {
    const readOnly = dir.file('ro-claims');
    mkdirSync(readOnly);
    execFileSync('mount', ['--bind', readOnly, readOnly]);
    execFileSync('mount', ['-o', 'remount,bind,ro', readOnly]);
    try {
      const logger = new MemoryLogger();
      const store = await openStore(`${readOnly}/cache.json`, logger);
      const claim = await store.claim('k');
      expect(claim).toBeDefined();
      expect(logger.lines.join('\n')).toContain('Cannot lock');
      await claim?.release();
      await store.close();
    } finally {
      execFileSync('umount', [readOnly]);
    }
  });
});

describe('two stores on one file: another process folds the journal this one read', () => {
  it.each(['a key the journal added', 'a key the file held'])('a deletion folded with it removes %s here too, and it is not written back', async (kind) => {
    const file = dir.file(`folded-${kind.length}.json`);
    const writer = await openStore(file);
    if (kind === 'a key the file held') {
      await writer.put([createEntry('k', { v: 0 })]);
      await writer.flush();
    }
    const reader = await openStore(file, new MemoryLogger(), true);
    // Through the journal: the reader replays it
    await writer.put([createEntry('k', { v: 1 })]);
    await waitUntil(() => (valueOf(reader.get('k')) !== undefined && (valueOf(reader.get('k')) as { v: number }).v === 1 ? true : undefined), 'the reader to replay the result', 5000);
    // Deleted and folded into the file at once: the reader never sees the deletion in a journal
    await writer.delete(['k']);
    await writer.flush();
    await waitUntil(() => (reader.get('k') === undefined ? true : undefined), 'the reader to drop the key the new file lacks', 5000);
    await reader.flush();
    expect(Object.keys(entriesOf(file))).toEqual([]);
    await reader.close();
    await writer.close();
    expect(Object.keys(entriesOf(file))).toEqual([]);
  });
});

describe('two stores on one file: a result of this one, deleted and folded by the other', () => {
  it('is removed here too, and not written back', async () => {
    const file = dir.file('folded-own.json');
    const other = await openStore(file, new MemoryLogger(), true);
    const own = await openStore(file, new MemoryLogger(), true);
    await own.put([createEntry('mine', { v: 1 })]);
    await waitUntil(() => (other.get('mine') !== undefined ? true : undefined), 'the other store to replay the result', 5000);
    await other.delete(['mine']);
    await other.flush();
    await waitUntil(() => (own.get('mine') === undefined ? true : undefined), 'this store to drop its result the new file lacks', 5000);
    await own.close();
    await other.close();
    expect(Object.keys(entriesOf(file))).toEqual([]);
  });
});
