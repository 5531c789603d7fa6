import { isEdited, sameAnswer, type CacheEntry } from '../cache-entry';
import type { JournalRecord } from './journal';

/**
 * What wins between this process's memory, the file as it last read or wrote
 * it, a new state of the file, and the journal. Pure: the store applies the
 * answers.
 *
 * The precedence, stated once:
 * 1. What a person changed in the file wins over what this process holds: an
 *    entry that differs from the last state read or written is taken.
 * 2. Except a stale copy: an entry nobody edited (its hash matches its value)
 *    that is older than the one in memory comes from a save based on older
 *    content (an editor that read the file before a compaction); the newer
 *    value is kept, and so are the entries that save lacks.
 * 3. A hand-edited value is kept against any result that is not forced
 *    (`refresh({ force: true })`), from this process or from the journal.
 */

export function sameEntry(a: CacheEntry, b: CacheEntry): boolean {
  return (
    // Stryker disable next-line ConditionalExpression: a shortcut; an entry has the same fields as itself
    a === b ||
    (a.computedAt === b.computedAt &&
      a.hash === b.hash &&
      a.version === b.version &&
      sameAnswer(a, b))
  );
}

/** Rule 3: whether `current` is a hand edit that a result (forced or not) must not replace. */
export function keepsHandEdit(current: CacheEntry | undefined, force: boolean): boolean {
  return current !== undefined && !force && isEdited(current);
}

export interface DiskChange {
  /** Entries to take from the new file (hand edits, another process's results). */
  readonly taken: CacheEntry[];
  /** Keys removed from the file, to remove from memory. */
  readonly removed: string[];
  /** Keys whose file value is an older unedited copy of what memory holds (rule 2). */
  readonly keptNewer: string[];
  /** Keys the file lacks that were kept because the save was based on older content. */
  readonly keptMissing: string[];
}

/** Rules 1 and 2: what a new state of the file changes in memory. */
export function mergeDiskChange(
  memory: ReadonlyMap<string, CacheEntry>,
  lastDisk: ReadonlyMap<string, CacheEntry>,
  newDisk: ReadonlyMap<string, CacheEntry>,
): DiskChange {
  const taken: CacheEntry[] = [];
  const keptNewer: string[] = [];
  for (const [key, entry] of newDisk) {
    const before = lastDisk.get(key);
    if (before && sameEntry(before, entry)) continue;
    const current = memory.get(key);
    if (current && sameEntry(current, entry)) continue;
    if (current && !isEdited(entry) && entry.computedAt < current.computedAt) keptNewer.push(key);
    else taken.push(entry);
  }
  const removed: string[] = [];
  const keptMissing: string[] = [];
  for (const [key, entry] of lastDisk) {
    if (newDisk.has(key)) continue;
    const current = memory.get(key);
    // Rewritten here since the file was read: not the entry that was removed
    if (!current || !sameEntry(current, entry)) continue;
    (keptNewer.length > 0 ? keptMissing : removed).push(key);
  }
  return { taken, removed, keptNewer, keptMissing };
}

/** What a journal holds for each key: its last record's entry, or undefined for a deletion. */
export function journalEntries(records: readonly JournalRecord[], into = new Map<string, CacheEntry | undefined>()): Map<string, CacheEntry | undefined> {
  for (const record of records) {
    if (record.op === 'put') into.set(record.entry.key, record.entry);
    else into.set(record.key, undefined);
  }
  return into;
}

/**
 * The state a new file is compared with once the journal this process knew was
 * folded into it by another process (`mergeDiskChange`'s `lastDisk`): the file
 * as last read, with the journal's records applied. Without them, an entry
 * refreshed through the journal and then deleted by the process that compacted
 * looked rewritten here, and was kept (and written back later).
 */
export function withJournal(
  lastDisk: ReadonlyMap<string, CacheEntry>,
  journal: ReadonlyMap<string, CacheEntry | undefined>,
): Map<string, CacheEntry> {
  const state = new Map(lastDisk);
  for (const [key, entry] of journal) {
    if (entry) state.set(key, entry);
    else state.delete(key);
  }
  return state;
}

export type ReplayDecision = 'apply' | 'older' | 'hand-edit';

/** What one journal record does to the entry memory holds for its key. */
export function replayDecision(current: CacheEntry | undefined, record: JournalRecord): ReplayDecision {
  if (record.op === 'put') {
    if (current && current.computedAt >= record.entry.computedAt) return 'older';
    return keepsHandEdit(current, record.force === true) ? 'hand-edit' : 'apply';
  }
  if (!current || current.computedAt > record.at) return 'older';
  // An invalidation is not forced: a hand edit outlives it
  return keepsHandEdit(current, false) ? 'hand-edit' : 'apply';
}

export interface ReplayResult {
  readonly set: CacheEntry[];
  readonly deleted: string[];
  readonly keptEdits: string[];
}

/** Replays journal records, in order, against memory; returns what changes (memory is not touched). */
export function replayJournal(memory: ReadonlyMap<string, CacheEntry>, records: readonly JournalRecord[]): ReplayResult {
  const view = new Map<string, CacheEntry | undefined>();
  const keptEdits = new Set<string>();
  const read = (key: string) => (view.has(key) ? view.get(key) : memory.get(key));
  for (const record of records) {
    const key = record.op === 'put' ? record.entry.key : record.key;
    const decision = replayDecision(read(key), record);
    if (decision === 'hand-edit') keptEdits.add(key);
    if (decision !== 'apply') continue;
    view.set(key, record.op === 'put' ? record.entry : undefined);
  }
  const set: CacheEntry[] = [];
  const deleted: string[] = [];
  for (const [key, entry] of view) {
    if (entry) set.push(entry);
    else if (memory.has(key)) deleted.push(key);
  }
  return { set, deleted, keptEdits: [...keptEdits] };
}
