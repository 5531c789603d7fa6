import { closeSync, fstatSync, ftruncateSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import type { CacheEntry } from '../cache-entry';
import { ByteSink } from '../byte-sink';
import { storedMeta, storedTime, writeStoredValue } from '../stored-entry';
import { toEntry } from './cache-file-format';
import { readJournalLines } from './journal-lines';

/** What an append keeps of the memory its lines took, at most. */
const KEPT_BYTES = 4 << 20;

/** One change, as the journal records it. */
export type JournalRecord =
  | { readonly op: 'put'; readonly entry: CacheEntry; readonly force?: boolean }
  | { readonly op: 'delete'; readonly key: string; readonly at: number };

export interface JournalContents {
  readonly records: JournalRecord[];
  /** Lines that did not parse, the last one excepted. */
  readonly corruptLines: number;
  /** The last line was cut short (the process died while writing it). */
  readonly tornTail: boolean;
  /** The inode of the journal read (undefined: there was none). */
  readonly ino?: number;
}

/**
 * The append-only log beside the cache file: one JSON line per change. Every
 * result is appended the moment it completes, so a process killed mid-run loses
 * only what was still being computed; compaction folds the log into the cache
 * file and removes it. Persisting N results writes O(N) bytes in total.
 */
export class Journal {
  /** `inode:size` of the journal as this process last read or wrote it: no need to read it again. */
  private known = 'missing';
  /** Kept open between appends (one open and close per batch of results cost more than the write); `ino` tells a journal replaced meanwhile. */
  private appendFd?: { readonly fd: number; readonly ino: number };
  /** The lines of an append are encoded here (kept between appends unless a large one grew it). */
  private lines = new ByteSink();

  constructor(readonly path: string) {}

  /**
   * Appends in one write; survives the process being killed once it returns.
   * A write the disk refuses half-way (ENOSPC) is cut back off, so the journal
   * never ends with half a line that would read as a crash.
   */
  append(records: readonly JournalRecord[]): number | undefined {
    if (records.length === 0) return this.appendFd?.ino;
    this.lines.clear();
    for (const record of records) writeRecord(this.lines, record);
    const bytes = this.lines.view();
    // A batch of large bodies does not keep its memory for good
    if (this.lines.capacity > KEPT_BYTES) this.lines = new ByteSink();
    // One stat: whether the journal is still the file the kept descriptor points to, and its size
    const before = this.state();
    const fd = this.openForAppend(before.ino);
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      try {
        ftruncateSync(fd, before.size);
      } catch {
        // Nothing more can be done: the reader counts a torn tail
      }
      throw error;
    }
    // Only when nobody else appended since we last looked does the journal hold nothing new
    if (before.id === this.known) this.known = `${this.appendFd?.ino}:${before.size + bytes.length}`;
    return this.appendFd?.ino;
  }

  /** The inode of the journal at its path now (undefined: there is none). */
  currentIno(): number | undefined {
    return this.state().ino;
  }

  /** Closes the descriptor kept for appends (at close, and before the journal is removed or moved). */
  close(): void {
    if (this.appendFd) closeSync(this.appendFd.fd);
    this.appendFd = undefined;
  }

  private openForAppend(ino: number | undefined): number {
    if (this.appendFd && this.appendFd.ino === ino) return this.appendFd.fd;
    // Removed (compacted) or replaced by another process: append to the journal at the path now
    this.close();
    const fd = openSync(this.path, 'a');
    this.appendFd = { fd, ino: fstatSync(fd).ino };
    return fd;
  }

  /** Whether another process wrote records this one has not read. */
  hasUnread(): boolean {
    return this.state().id !== this.known;
  }

  private state(): { id: string; size: number; ino?: number } {
    try {
      const info = statSync(this.path);
      return { id: `${info.ino}:${info.size}`, size: info.size, ino: info.ino };
    } catch {
      return { id: 'missing', size: 0 };
    }
  }

  read(): JournalContents {
    // Taken first: a record appended meanwhile is read again next time, never missed
    const state = this.state();
    const records: JournalRecord[] = [];
    let corruptLines = 0;
    let tail: string;
    try {
      // Line by line: a journal may be larger than a string can hold (a million results killed before compaction)
      tail = readJournalLines(this.path, (line) => {
        const record = line ? parseRecord(line, this.path) : undefined;
        if (record) records.push(record);
        else if (line) corruptLines++;
      }).tail;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        this.known = 'missing';
        return { records: [], corruptLines: 0, tornTail: false };
      }
      throw error;
    }
    this.known = state.id;
    // A complete journal ends with a newline, so nothing is left after the last one
    return { records, corruptLines, tornTail: tail.length > 0, ino: state.ino };
  }

  /** Removes the journal once compaction made it redundant. */
  clear(): void {
    this.close();
    rmSync(this.path, { force: true });
    this.known = 'missing';
  }

  /** Keeps a journal with unreadable lines aside instead of deleting it. */
  moveAside(): string {
    const aside = `${this.path}.corrupt-${Date.now()}`;
    this.close();
    renameSync(this.path, aside);
    this.known = 'missing';
    return aside;
  }
}

function writeRecord(sink: ByteSink, record: JournalRecord): void {
  if (record.op === 'delete') {
    return sink.text(`${JSON.stringify({ op: 'delete', key: record.key, at: new Date(record.at).toISOString() })}\n`);
  }
  const { entry } = record;
  // Made field by field: a build appends a line per result, and an object spread per line showed in profiles
  let head = `{"op":"put","key":${JSON.stringify(entry.key)}`;
  const meta = storedMeta(entry);
  for (const name in meta) head += `,"${name}":${JSON.stringify(meta[name])}`;
  head += `,"computedAt":"${storedTime(entry.computedAt)}"`;
  if (entry.version !== undefined) head += `,"version":${JSON.stringify(entry.version)}`;
  head += `,"hash":${JSON.stringify(entry.hash)}`;
  if (record.force) head += ',"force":true';
  sink.text(`${head},"value":`);
  // The value's text is already made: encoded as it is rather than stringified again
  writeStoredValue(sink, entry);
  sink.text('}\n');
}

function parseRecord(line: string, path: string): JournalRecord | undefined {
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (typeof raw.key !== 'string') return undefined;
    if (raw.op === 'delete') return { op: 'delete', key: raw.key, at: Date.parse(String(raw.at)) || 0 };
    if (raw.op === 'put') return { op: 'put', entry: toEntry(raw.key, raw, path), force: raw.force === true };
  } catch {
    // counted as corrupt by the caller
  }
  return undefined;
}
