import { appendFileSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import type { CacheEntry } from '../cache-entry';
import { storedMeta, storedValueText } from '../stored-entry';
import { toEntry } from './cache-file-format';

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
}

/**
 * The append-only log beside the cache file: one JSON line per change. Every
 * result is appended the moment it completes, so a process killed mid-run loses
 * only what was still being computed; compaction folds the log into the cache
 * file and removes it. Persisting N results writes O(N) bytes in total.
 */
export class Journal {
  /** Bytes of the journal this process has read or written: no need to read them again. */
  private knownSize = 0;

  constructor(readonly path: string) {}

  /** Appends in one write; survives the process being killed once it returns. */
  append(records: readonly JournalRecord[]): void {
    if (records.length === 0) return;
    const text = records.map(formatRecord).join('');
    const sizeBefore = this.size();
    appendFileSync(this.path, text);
    // Only when nobody else appended since we last looked does the journal hold nothing new
    if (sizeBefore === this.knownSize) this.knownSize += Buffer.byteLength(text);
  }

  /** Whether another process appended records this one has not read. */
  hasUnread(): boolean {
    return this.size() !== this.knownSize;
  }

  private size(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  read(): JournalContents {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { records: [], corruptLines: 0, tornTail: false };
      throw error;
    }
    this.knownSize = Buffer.byteLength(text);
    const lines = text.split('\n');
    // A complete journal ends with a newline, so the last piece is empty
    const last = lines.pop() ?? '';
    const records: JournalRecord[] = [];
    let corruptLines = 0;
    for (const line of lines) {
      const record = line ? parseRecord(line, this.path) : undefined;
      if (record) records.push(record);
      else if (line) corruptLines++;
    }
    return { records, corruptLines, tornTail: last.length > 0 };
  }

  /** Removes the journal once compaction made it redundant. */
  clear(): void {
    rmSync(this.path, { force: true });
    this.knownSize = 0;
  }

  /** Keeps a journal with unreadable lines aside instead of deleting it. */
  moveAside(): string {
    const aside = `${this.path}.corrupt-${Date.now()}`;
    renameSync(this.path, aside);
    this.knownSize = 0;
    return aside;
  }
}

function formatRecord(record: JournalRecord): string {
  if (record.op === 'delete') {
    return `${JSON.stringify({ op: 'delete', key: record.key, at: new Date(record.at).toISOString() })}\n`;
  }
  const { entry } = record;
  const head = JSON.stringify({
    op: 'put',
    key: entry.key,
    ...storedMeta(entry),
    computedAt: new Date(entry.computedAt).toISOString(),
    version: entry.version,
    hash: entry.hash,
    force: record.force || undefined,
  });
  // The value's text is already made: splice it in rather than stringify it again
  return `${head.slice(0, -1)},"value":${storedValueText(entry)}}\n`;
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
