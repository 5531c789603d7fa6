import { describe, expect, it } from '@jest/globals';
import { createEntry, type CacheEntry } from '../cache-entry';
import { journalEntries, keepsHandEdit, mergeDiskChange, replayDecision, replayJournal, sameEntry, withJournal } from './entry-merge';

const computed = (key: string, value: unknown, at: number) => createEntry(key, value, undefined, at);
/** A value a person changed: its hash is the computed one's. */
const edited = (entry: CacheEntry, value: unknown): CacheEntry => ({ ...createEntry(entry.key, value, entry.version, entry.computedAt), hash: entry.hash });
const map = (...entries: CacheEntry[]) => new Map(entries.map((entry) => [entry.key, entry]));

describe('sameEntry', () => {
  it('compares value, time, hash and version', () => {
    const a = computed('k', { n: 1 }, 10);
    expect(sameEntry(a, { ...a })).toBe(true);
    expect(sameEntry(a, { ...computed('k', { n: 2 }, 10), hash: a.hash })).toBe(false);
    expect(sameEntry(a, { ...a, computedAt: 11 })).toBe(false);
    expect(sameEntry(a, { ...a, hash: 'x' })).toBe(false);
    expect(sameEntry(a, { ...a, version: '2' })).toBe(false);
  });
});

describe('keepsHandEdit', () => {
  it('keeps an edited value unless forced', () => {
    const entry = computed('k', 1, 10);
    expect(keepsHandEdit(edited(entry, 2), false)).toBe(true);
    expect(keepsHandEdit(edited(entry, 2), true)).toBe(false);
    expect(keepsHandEdit(entry, false)).toBe(false);
    expect(keepsHandEdit(undefined, false)).toBe(false);
  });
});

describe('mergeDiskChange', () => {
  const a = computed('a', 1, 10);
  const b = computed('b', 2, 10);

  it('takes an entry a person changed in the file, and nothing that did not change', () => {
    const change = mergeDiskChange(map(a, b), map(a, b), map(edited(a, 9), b));
    expect(change.taken).toEqual([edited(a, 9)]);
    expect(change.removed).toEqual([]);
  });

  it('takes entries another process added', () => {
    const c = computed('c', 3, 20);
    expect(mergeDiskChange(map(a), map(a), map(a, c)).taken).toEqual([c]);
  });

  it('removes an entry deleted from the file, unless this process rewrote it since', () => {
    expect(mergeDiskChange(map(a, b), map(a, b), map(a)).removed).toEqual(['b']);
    const newer = computed('b', 3, 20);
    expect(mergeDiskChange(map(a, newer), map(a, b), map(a)).removed).toEqual([]);
  });

  it('ignores a file entry equal to what memory holds already', () => {
    const newer = computed('a', 5, 20);
    expect(mergeDiskChange(map(newer), map(a), map(newer)).taken).toEqual([]);
  });

  it('keeps the newer value against an older unedited copy, and the entries such a save lacks', () => {
    const newer = computed('a', 5, 20);
    const c = computed('c', 3, 20);
    // Memory and the last written file hold newer a and c; the save is the file from before
    const change = mergeDiskChange(map(newer, b, c), map(newer, b, c), map(a, edited(b, 7)));
    expect(change.keptNewer).toEqual(['a']);
    expect(change.keptMissing).toEqual(['c']);
    expect(change.removed).toEqual([]);
    // A hand edit in that save still wins
    expect(change.taken).toEqual([edited(b, 7)]);
  });

  it('takes a hand edit even when its computedAt is older', () => {
    const newer = computed('a', 5, 20);
    expect(mergeDiskChange(map(newer), map(newer), map(edited(a, 9))).taken).toEqual([edited(a, 9)]);
  });
});

describe('replayDecision and replayJournal', () => {
  const old = computed('k', 1, 10);
  const fresh = computed('k', 2, 20);

  it('applies a newer put, skips an older or equal one', () => {
    expect(replayDecision(old, { op: 'put', entry: fresh })).toBe('apply');
    expect(replayDecision(undefined, { op: 'put', entry: fresh })).toBe('apply');
    expect(replayDecision(fresh, { op: 'put', entry: old })).toBe('older');
    expect(replayDecision(fresh, { op: 'put', entry: fresh })).toBe('older');
  });

  it('keeps a hand edit against a newer journal record, unless the record is forced', () => {
    expect(replayDecision(edited(old, 9), { op: 'put', entry: fresh })).toBe('hand-edit');
    expect(replayDecision(edited(old, 9), { op: 'put', entry: fresh, force: true })).toBe('apply');
  });

  it('deletes an entry computed before the delete, not one computed after, nor a hand edit', () => {
    expect(replayDecision(old, { op: 'delete', key: 'k', at: 15 })).toBe('apply');
    expect(replayDecision(old, { op: 'delete', key: 'k', at: 10 })).toBe('apply');
    expect(replayDecision(fresh, { op: 'delete', key: 'k', at: 15 })).toBe('older');
    expect(replayDecision(edited(old, 9), { op: 'delete', key: 'k', at: 15 })).toBe('hand-edit');
    expect(replayDecision(undefined, { op: 'delete', key: 'k', at: 15 })).toBe('older');
  });

  it('replays records in order without touching memory', () => {
    const memory = map(old, computed('gone', 0, 5), edited(computed('mine', 1, 5), 'by hand'));
    const result = replayJournal(memory, [
      { op: 'put', entry: fresh },
      { op: 'delete', key: 'gone', at: 6 },
      { op: 'put', entry: computed('mine', 2, 30) },
      { op: 'put', entry: computed('new', 1, 30) },
      { op: 'delete', key: 'new', at: 31 },
    ]);
    expect(result.set).toEqual([fresh]);
    expect(result.deleted).toEqual(['gone']);
    expect(result.keptEdits).toEqual(['mine']);
    expect(memory.get('k')).toBe(old);
  });
});

describe('mergeDiskChange, same moment', () => {
  it('takes an unedited file entry computed at the same moment as memory\'s (it is not older)', () => {
    const mine = computed('a', 1, 10);
    const theirs = computed('a', 2, 10);
    const change = mergeDiskChange(map(mine), map(mine), map(theirs));
    expect(change.taken).toEqual([theirs]);
    expect(change.keptNewer).toEqual([]);
  });

  it('removes what the file lost when nothing in it is an older copy', () => {
    const a = computed('a', 1, 10);
    const b = computed('b', 2, 10);
    const change = mergeDiskChange(map(a, b), map(a, b), map(a));
    expect(change).toEqual({ taken: [], removed: ['b'], keptNewer: [], keptMissing: [] });
  });
});

describe('mergeDiskChange, unchanged entries', () => {
  it('an entry the file did not change is no older copy, so a deletion beside it is still seen', () => {
    const a = computed('a', 1, 10);
    const newerA = computed('a', 2, 20);
    const b = computed('b', 2, 10);
    // This process stored a newer a (in the journal); a person deleted b from the file
    const change = mergeDiskChange(map(newerA, b), map(a, b), map(a));
    expect(change).toEqual({ taken: [], removed: ['b'], keptNewer: [], keptMissing: [] });
  });
});

describe('journalEntries and withJournal', () => {
  it('keep the last record of each key: its entry, or undefined for a deletion; records added later join them', () => {
    const a1 = computed('a', 1, 10);
    const a2 = computed('a', 2, 20);
    const b = computed('b', 1, 10);
    const entries = journalEntries([
      { op: 'put', entry: a1 },
      { op: 'put', entry: b },
      { op: 'put', entry: a2 },
      { op: 'delete', key: 'b', at: 30 },
    ]);
    expect([...entries]).toEqual([
      ['a', a2],
      ['b', undefined],
    ]);
    journalEntries([{ op: 'put', entry: computed('c', 1, 40) }], entries);
    expect([...entries.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('withJournal is the file with the journal applied, the file itself unchanged', () => {
    const file = map(computed('a', 1, 10), computed('b', 1, 10));
    const a2 = computed('a', 2, 20);
    const c = computed('c', 1, 20);
    const state = withJournal(file, new Map([['a', a2], ['b', undefined], ['c', c]]));
    expect([...state.entries()]).toEqual([
      ['a', a2],
      ['c', c],
    ]);
    expect([...file.keys()]).toEqual(['a', 'b']);
  });

  it('against the journal folded into a new file, a deletion there removes the entry here', () => {
    const a2 = computed('a', 2, 20);
    const memory = map(a2);
    // The file held a1; the journal refreshed it to a2; the new file (journal folded, then a deletion) lacks it
    const lastDisk = map(computed('a', 1, 10));
    expect(mergeDiskChange(memory, lastDisk, new Map()).removed).toEqual([]);
    expect(mergeDiskChange(memory, withJournal(lastDisk, journalEntries([{ op: 'put', entry: a2 }])), new Map()).removed).toEqual(['a']);
  });
});
