import type { JournalRecord } from './journal';

/** The file operations the writer drives; the store implements them. */
export interface JournaledWriterIo {
  /** Appends records to the journal. */
  append(records: readonly JournalRecord[]): Promise<void>;
  /**
   * Rewrites the cache file from memory and drops the journal. Calls
   * `snapshot()` at the moment it copies memory (again on each retry), so the
   * records folded into the file are exactly those pending at that moment.
   * Resolves false when the file must not be rewritten now (it does not parse).
   */
  rewrite(snapshot: () => void): Promise<boolean>;
  /** Entries in memory (the compaction threshold grows with them). */
  entries(): number;
}

export interface WriteOutcomes {
  failed(error: Error): void;
  succeeded(): void;
}

/**
 * Amortized: the file is rewritten once the journal holds more lines than there
 * are entries, so N results cost O(N) bytes. A run that adds entries never
 * passes it (a line per new entry); refreshes and deletes do, so a small cache
 * refreshed on a TTL shows its current values in the file within one refresh
 * of every entry (a floor of 1,000 lines kept a cache of 50 entries' file 20
 * refreshes behind).
 */
export function shouldCompact(journalRecords: number, entries: number): boolean {
  return journalRecords > entries;
}

/**
 * The write side of the file store: results go to the journal at once, the
 * file is compacted from time to time. The invariant: a record's promise
 * resolves once the record is in the journal or in the file, or once a failure
 * to write it was reported (it then waits in `pending` for the retry).
 * File operations run one at a time, in order.
 */
export class JournaledWriter {
  private pending: JournalRecord[] = [];
  /** Lines in the journal (this process's and others'), 0 once it is folded into the file. */
  private journalRecords = 0;
  /** Set when the file lacks what memory holds although the journal may be empty (it was deleted, or a stale save). */
  private needsRewrite = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** The append of the changes recorded in this turn of the event loop. */
  private batch?: Promise<void>;

  constructor(
    private readonly io: JournaledWriterIo,
    private readonly outcomes: WriteOutcomes,
  ) {}

  /**
   * Records changes; resolves when they are durable (see the invariant).
   * Changes recorded in the same turn of the event loop share one append: a
   * run of instant handlers records thousands per turn, and one append each
   * (a stat and a write) was most of what persisting cost.
   */
  record(records: readonly JournalRecord[]): Promise<void> {
    this.pending.push(...records);
    this.batch ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.batch = undefined;
      return this.run(() => this.writePending());
    });
    return this.batch;
  }

  /** Folds everything into the file (and writes what is pending when the file cannot be rewritten). */
  compact(): Promise<void> {
    return this.run(() => this.compactNow());
  }

  /** The file must be rewritten even when nothing is pending. */
  markForRewrite(): void {
    this.needsRewrite = true;
  }

  /** How many records the journal holds, as read when it was replayed. */
  journalRead(records: number): void {
    this.journalRecords = Math.max(this.journalRecords, records);
  }

  /** Runs a file operation after those already queued. */
  run(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending.splice(0);
    try {
      await this.io.append(records);
    } catch (error) {
      this.pending.unshift(...records);
      this.outcomes.failed(error as Error);
      return;
    }
    this.journalRecords += records.length;
    this.outcomes.succeeded();
    if (shouldCompact(this.journalRecords, this.io.entries())) await this.compactNow();
  }

  private async compactNow(): Promise<void> {
    if (this.journalRecords === 0 && this.pending.length === 0 && !this.needsRewrite) return;
    const folded: JournalRecord[] = [];
    let rewritten: boolean;
    try {
      rewritten = await this.io.rewrite(() => folded.push(...this.pending.splice(0)));
    } catch (error) {
      this.pending.unshift(...folded);
      this.outcomes.failed(error as Error);
      return;
    }
    if (!rewritten) {
      // The broken-file guard: the file is left alone, results stay in the journal
      this.pending.unshift(...folded);
      return this.writePending();
    }
    this.journalRecords = 0;
    this.needsRewrite = false;
    this.outcomes.succeeded();
  }
}
