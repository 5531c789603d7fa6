import { describe, expect, it } from '@jest/globals';
import { createEntry } from '../cache-entry';
import type { JournalRecord } from './journal';
import { JournaledWriter, shouldCompact, type JournaledWriterIo } from './journaled-writer';

const put = (key: string): JournalRecord => ({ op: 'put', entry: createEntry(key, key) });
const keys = (records: readonly JournalRecord[]) => records.map((record) => (record.op === 'put' ? record.entry.key : record.key));

/** In-memory journal and file; `rewrite` can be held open to land records in the middle of it. */
function fakeDisk() {
  const disk = {
    journal: [] as string[],
    file: [] as string[],
    memory: [] as string[],
    broken: false,
    failAppend: undefined as Error | undefined,
    hold: undefined as Promise<void> | undefined,
    rewriting: undefined as (() => void) | undefined,
    failures: [] as string[],
    successes: 0,
    /** Calls of append: one per batch of records. */
    appends: 0,
    /** Entries written to the file, summed over every rewrite. */
    fileWrites: 0,
  };
  const io: JournaledWriterIo = {
    append: async (records) => {
      disk.appends++;
      if (disk.failAppend) throw disk.failAppend;
      disk.journal.push(...keys(records));
    },
    rewrite: async (snapshot) => {
      if (disk.broken) return false;
      snapshot();
      const copy = [...disk.memory];
      disk.rewriting?.();
      await disk.hold;
      disk.file = copy;
      disk.fileWrites += copy.length;
      disk.journal = [];
      return true;
    },
    entries: () => disk.memory.length,
  };
  const writer = new JournaledWriter(io, {
    failed: (error) => disk.failures.push(error.message),
    succeeded: () => disk.successes++,
  });
  const record = (key: string) => {
    disk.memory.push(key);
    return writer.record([put(key)]);
  };
  return { disk, writer, record };
}

describe('shouldCompact', () => {
  it('compacts once the journal holds more lines than there are entries: O(N) bytes for N results', () => {
    expect(shouldCompact(0, 0)).toBe(false);
    expect(shouldCompact(1, 0)).toBe(true);
    expect(shouldCompact(10, 10)).toBe(false);
    expect(shouldCompact(11, 10)).toBe(true);
    expect(shouldCompact(5000, 5000)).toBe(false);
    expect(shouldCompact(5001, 5000)).toBe(true);
  });

  it('writes O(N) records for N results: each result once to the journal, the file every N lines', async () => {
    const { disk, writer, record } = fakeDisk();
    let written = 0;
    const append = disk.journal.push.bind(disk.journal);
    disk.journal.push = (...items: string[]) => ((written += items.length), append(...items));
    const n = 20_000;
    for (let i = 0; i < n; i++) await record(`k${i}`);
    await writer.compact();
    // Each result once in the journal; the file rewritten whenever the journal outgrew it: under 3N entries in all
    expect(written).toBe(n);
    expect(disk.file).toHaveLength(n);
    expect(disk.fileWrites).toBeGreaterThanOrEqual(n);
    expect(disk.fileWrites).toBeLessThan(3 * n);
  });

  it('refreshing the same keys over and over rewrites the file once per refresh of every entry, not at every result', async () => {
    const { disk, writer } = fakeDisk();
    disk.memory.push(...Array.from({ length: 100 }, (_, i) => `k${i}`));
    for (let i = 0; i < 10_000; i++) await writer.record([put(`k${i % 100}`)]);
    // 10,000 results: 99 compactions of 100 entries (one per 101 lines), not 10,000
    expect(disk.fileWrites).toBe(9900);
    expect(disk.journal).toHaveLength(10_000 - 99 * 101);
  });
});

describe('JournaledWriter', () => {
  it('a record that arrives while the file is rewritten lands in the journal before its promise resolves', async () => {
    const { disk, writer, record } = fakeDisk();
    await record('a');
    let release!: () => void;
    disk.hold = new Promise((resolve) => (release = resolve));
    const started = new Promise<void>((resolve) => (disk.rewriting = resolve));
    const compaction = writer.compact();
    await started;
    const late = record('late');
    release();
    await Promise.all([compaction, late]);
    expect(disk.file).toEqual(['a']);
    expect(disk.journal).toEqual(['late']);
  });

  it('records pending when the snapshot is taken are in the file; none is written twice', async () => {
    const { disk, writer, record } = fakeDisk();
    disk.failAppend = new Error('ENOSPC');
    // Both resolve once the failure to write them is reported (one append: they were recorded in the same turn)
    await Promise.all([record('a'), record('b')]);
    expect(disk.failures).toEqual(['ENOSPC']);
    disk.failAppend = undefined;
    await writer.compact();
    expect(disk.file).toEqual(['a', 'b']);
    expect(disk.journal).toEqual([]);
  });

  it('appends the records of one turn of the event loop together, and later ones in a later append', async () => {
    const { disk, record } = fakeDisk();
    await Promise.all(Array.from({ length: 100 }, (_, i) => record(`k${i}`)));
    expect(disk.appends).toBe(1);
    expect(disk.journal).toHaveLength(100);
    const later = record('later');
    // Not durable yet: its append waits for the end of this turn
    expect(disk.journal).not.toContain('later');
    await later;
    expect(disk.appends).toBe(2);
    expect(disk.journal.at(-1)).toBe('later');
  });

  it('never rewrites a file that does not parse: results go to the journal', async () => {
    const { disk, writer, record } = fakeDisk();
    disk.broken = true;
    await record('a');
    await writer.compact();
    expect(disk.file).toEqual([]);
    expect(disk.journal).toEqual(['a']);
  });

  it('keeps records pending when the rewrite fails, and writes them on the next attempt', async () => {
    const { disk, writer, record } = fakeDisk();
    await record('a');
    disk.hold = Promise.reject(new Error('EIO'));
    disk.hold.catch(() => undefined);
    await writer.compact();
    expect(disk.failures).toEqual(['EIO']);
    disk.hold = undefined;
    await writer.compact();
    expect(disk.file).toEqual(['a']);
  });

  it('rewrites a file marked for rewrite even with nothing pending (it was deleted)', async () => {
    const { disk, writer } = fakeDisk();
    disk.memory.push('kept');
    await writer.compact();
    expect(disk.file).toEqual([]);
    writer.markForRewrite();
    await writer.compact();
    expect(disk.file).toEqual(['kept']);
  });
});

describe('JournaledWriter, what it writes and when', () => {
  it('folds a journal other processes wrote into the file at the next compaction', async () => {
    const { disk, writer } = fakeDisk();
    disk.memory.push('theirs');
    writer.journalRead(3);
    writer.journalRead(1);
    await writer.compact();
    expect(disk.file).toEqual(['theirs']);
  });

  it('counts the journal it read towards the compaction threshold', async () => {
    const { disk, writer, record } = fakeDisk();
    disk.memory.push('x', 'y');
    // Another process's 5 lines, read at startup: with this one, 6 lines for 3 entries
    writer.journalRead(5);
    await record('a');
    expect(disk.file).toEqual(['x', 'y', 'a']);
    expect(disk.journal).toEqual([]);
  });

  it('does not rewrite the file again once nothing changed since the last rewrite', async () => {
    const { disk, writer, record } = fakeDisk();
    await record('a');
    writer.markForRewrite();
    await writer.compact();
    expect(disk.fileWrites).toBe(1);
    await writer.compact();
    await writer.compact();
    expect(disk.fileWrites).toBe(1);
    expect(disk.successes).toBe(2);
  });

  it('records that arrive together share one append', async () => {
    const appends: number[] = [];
    const { disk, record } = fakeDisk();
    const push = disk.journal.push.bind(disk.journal);
    disk.journal.push = (...items: string[]) => (appends.push(items.length), push(...items));
    await Promise.all([record('a'), record('b'), record('c')]);
    expect(appends).toEqual([3]);
    expect(disk.successes).toBe(1);
  });

  it('runs file operations one at a time, in order, even after one failed', async () => {
    const { writer } = fakeDisk();
    const order: string[] = [];
    const failing = writer.run(async () => {
      await Promise.resolve();
      order.push('first');
      throw new Error('EIO');
    });
    const second = writer.run(async () => void order.push('second'));
    await expect(failing).rejects.toThrow('EIO');
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('writes what is pending to the journal when the file cannot be rewritten, keeping it pending if that fails', async () => {
    const { disk, writer } = fakeDisk();
    disk.broken = true;
    disk.failAppend = new Error('ENOSPC');
    const recorded = writer.record([put('a')]);
    await writer.compact();
    await recorded;
    // The compaction's attempt, then the record's own: it stayed pending after the first failure
    expect(disk.failures).toEqual(['ENOSPC', 'ENOSPC']);
    disk.failAppend = undefined;
    await writer.compact();
    expect(disk.journal).toEqual(['a']);
  });
});

describe('JournaledWriter, folded records', () => {
  it('records folded into the file are not appended to the journal afterwards', async () => {
    const { disk, writer, record } = fakeDisk();
    disk.failAppend = new Error('ENOSPC');
    void record('a');
    await writer.run(async () => undefined);
    disk.failAppend = undefined;
    await writer.compact();
    expect(disk.file).toEqual(['a']);
    await record('b');
    expect(disk.journal).toEqual(['b']);
  });
});
