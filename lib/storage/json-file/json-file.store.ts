import type { LoggerService } from '@nestjs/common';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { InvalidFilePolicy } from '../../interfaces/precompute-module-options.interface';
import { isEdited, type CacheEntry } from '../cache-entry';
import type { Claim, PrecomputeStore, StoreContext } from '../precompute-store.interface';
import { CacheFileError, formatCacheFile, parseCacheFile } from './cache-file-format';
import { FileLock } from './file-lock';
import { Journal, type JournalRecord } from './journal';

export interface JsonFileStoreOptions {
  /** Path of the cache file, relative to the working directory. */
  readonly file: string;
  readonly onInvalidFile?: InvalidFilePolicy;
  /** Reload the file when a person edits it while the app runs. */
  readonly watch?: boolean;
  readonly lockStaleMs?: number;
}

const WRITE_CHUNK = 1 << 20;
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * The default store: a human-editable JSON file, plus a journal that makes every
 * result durable the moment it completes.
 *
 * - Reads come from memory; the file is read at start and when it changes.
 * - Each result is appended to `<file>.journal`; compaction writes the whole
 *   file to a temporary file, fsyncs it and renames it over the old one, so the
 *   file always parses and holds either the old or the new content.
 * - What a person changes in the file wins: before every compaction, and when
 *   the file changes on disk, entries that differ from what this process last
 *   read or wrote are taken from the file.
 * - A file that does not parse is never overwritten nor deleted.
 * - Several processes coordinate through a lock on the file.
 */
export class JsonFileStore implements PrecomputeStore {
  readonly path: string;
  private readonly memory = new Map<string, CacheEntry>();
  /** The entries as the file held them when this process last read or wrote it. */
  private disk = new Map<string, CacheEntry>();
  private diskSignature = '';
  /** The file on disk does not parse (a hand edit in progress): never overwrite it. */
  private diskBroken = false;
  private readonly journal: Journal;
  private readonly lock: FileLock;
  private journalRecords = 0;
  private journalCorrupt = false;
  private pending: JournalRecord[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private logger!: LoggerService;
  private watcher?: FSWatcher;
  private watchTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs = 1000;
  private lastWriteError?: string;
  private unlocked = false;
  private readonly listeners: Array<(keys: readonly string[]) => void> = [];

  constructor(private readonly options: JsonFileStoreOptions) {
    this.path = resolve(options.file);
    this.journal = new Journal(`${this.path}.journal`);
    this.lock = new FileLock(
      `${this.path}.lock`,
      options.lockStaleMs ?? 10_000,
      () => this.logger.log(`Waiting for another process that is computing into ${this.describe()}`),
      (error) => this.logger.error(`Lost the lock on ${this.describe()}: ${error.message}`),
    );
  }

  describe(): string {
    return this.options.file;
  }

  async open(context: StoreContext): Promise<void> {
    this.logger = context.logger;
    await mkdir(dirname(this.path), { recursive: true }).catch(() => undefined);
    await this.load(true);
    if (this.options.watch ?? true) this.startWatching();
  }

  get(key: string): CacheEntry | undefined {
    return this.memory.get(key);
  }

  entries(): IterableIterator<CacheEntry> {
    return this.memory.values();
  }

  onExternalChange(listener: (keys: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  put(entries: readonly CacheEntry[], options: { force?: boolean } = {}): Promise<void> {
    for (const entry of entries) {
      this.memory.set(entry.key, entry);
      this.pending.push({ op: 'put', entry, ...(options.force ? { force: true } : {}) });
    }
    return this.enqueue(() => this.writePending());
  }

  delete(keys: readonly string[]): Promise<void> {
    const at = Date.now();
    for (const key of keys) {
      if (this.memory.delete(key)) this.pending.push({ op: 'delete', key, at });
    }
    return this.enqueue(() => this.writePending());
  }

  // Transitional (redis branch): the store branch implements the file lock protocol
  async claim(): Promise<Claim | undefined> {
    return { release: async () => undefined };
  }

  flush(): Promise<void> {
    return this.enqueue(() => this.compact());
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const locked = await this.tryLock();
    try {
      await this.enqueue(() => this.load(false));
      return await work();
    } finally {
      await this.enqueue(() => this.compact());
      if (locked) await this.unlock();
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
    clearTimeout(this.watchTimer);
    clearTimeout(this.retryTimer);
    await this.enqueue(() => this.compact());
  }

  /** Runs file operations one at a time, in order. */
  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async tryLock(): Promise<boolean> {
    try {
      await this.lock.acquire();
      this.unlocked = false;
      return true;
    } catch (error) {
      // e.g. a read-only directory: compute and serve from memory all the same
      if (!this.unlocked) {
        this.logger.error(
          `Cannot lock ${this.describe()} (${(error as Error).message}); results are kept in memory and written ` +
            'when the directory becomes writable. Check the permissions of the cache file\'s directory.',
        );
      }
      this.unlocked = true;
      return false;
    }
  }

  /** Runs `work` holding the lock, or without it when the directory cannot be locked. */
  private async locked(work: () => Promise<void> | void): Promise<void> {
    const locked = await this.tryLock();
    try {
      await work();
    } finally {
      if (locked) await this.unlock();
    }
  }

  private async unlock(): Promise<void> {
    try {
      await this.lock.release();
    } catch (error) {
      this.logger.error(`Could not release the lock on ${this.describe()}: ${(error as Error).message}`);
    }
  }

  /**
   * Reads the file (if it changed since this process last saw it) and the
   * journal, and merges both into memory: changes on disk win.
   */
  private async load(initial: boolean): Promise<void> {
    const signature = await this.signature();
    if (initial || signature !== this.diskSignature) {
      const fromDisk = await this.readFile(initial);
      if (fromDisk) this.mergeDisk(fromDisk, signature, initial);
    }
    if (initial || this.journal.hasUnread()) this.replayJournal();
  }

  private async readFile(initial: boolean): Promise<Map<string, CacheEntry> | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Nothing there yet (a missing directory counts); the first write will say if it cannot be created
      if (code === 'ENOENT' || code === 'ENOTDIR') return initial ? new Map() : undefined;
      throw new Error(
        code === 'EISDIR'
          ? `Cache file ${this.describe()} is a directory. Set cacheFile to a file path, e.g. '${this.options.file.replace(/\/$/, '')}/cache.json'.`
          : `Cannot read cache file ${this.describe()}: ${(error as Error).message}. Check the file's permissions; it was left untouched.`,
      );
    }
    try {
      const entries = parseCacheFile(text, this.describe());
      this.diskBroken = false;
      return entries;
    } catch (error) {
      if (!(error instanceof CacheFileError)) throw error;
      if (!initial) {
        this.diskBroken = true;
        this.logger.error(`${error.message} Serving the ${this.memory.size} entries in memory until it is fixed.`);
        return undefined;
      }
      if (this.options.onInvalidFile !== 'move-aside') throw error;
      const aside = `${this.path}.invalid-${Date.now()}`;
      await rename(this.path, aside);
      this.logger.warn(`${error.message} Moved it to ${aside} (bytes unchanged) and started with an empty cache.`);
      return new Map();
    }
  }

  private mergeDisk(fromDisk: Map<string, CacheEntry>, signature: string, initial: boolean): void {
    const changed: string[] = [];
    if (initial) {
      for (const [key, entry] of fromDisk) this.memory.set(key, entry);
    } else {
      for (const [key, entry] of fromDisk) {
        const before = this.disk.get(key);
        if (!before || !sameEntry(before, entry)) {
          this.memory.set(key, entry);
          changed.push(key);
        }
      }
      for (const [key, entry] of this.disk) {
        // Removed from the file by someone else, and not rewritten here since
        if (!fromDisk.has(key) && this.memory.get(key) === entry) {
          this.memory.delete(key);
          changed.push(key);
        }
      }
    }
    this.disk = fromDisk;
    this.diskSignature = signature;
    if (changed.length) {
      this.logger.log(`Reloaded ${this.describe()}: ${changed.length} entr${changed.length === 1 ? 'y' : 'ies'} changed on disk`);
      for (const listener of this.listeners) listener(changed);
    }
  }

  private replayJournal(): void {
    const { records, corruptLines, tornTail } = this.journal.read();
    if (corruptLines > 0) {
      this.journalCorrupt = true;
      this.logger.warn(`${this.journal.path}: ${corruptLines} unreadable line(s) skipped; the journal will be kept aside`);
    }
    if (tornTail) this.logger.warn(`${this.journal.path}: the last result was cut short by a crash and is computed again`);
    let applied = 0;
    for (const record of records) {
      const current = this.memory.get(record.op === 'put' ? record.entry.key : record.key);
      if (record.op === 'put') {
        const { entry } = record;
        if (current && current.computedAt >= entry.computedAt) continue;
        if (current && !record.force && isEdited(current)) {
          this.logger.log(`Kept the hand edit of "${entry.key}" over a newer result in the journal`);
          continue;
        }
        this.memory.set(entry.key, entry);
        applied++;
      } else if (current && current.computedAt <= record.at && !isEdited(current)) {
        this.memory.delete(record.key);
        applied++;
      }
    }
    this.journalRecords = records.length;
    if (applied > 0) this.logger.log(`Recovered ${applied} result(s) from ${this.journal.path}`);
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    try {
      await this.locked(() => this.journal.append(records));
      this.journalRecords += records.length;
      this.wroteOk();
    } catch (error) {
      this.pending = records.concat(this.pending);
      this.writeFailed(error as Error);
      return;
    }
    // Amortized: the file is rewritten after as many journal lines as it has entries
    if (this.journalRecords > Math.max(1000, this.memory.size)) await this.compact();
  }

  /** Folds memory (journal included) into the cache file atomically, then drops the journal. */
  private async compact(): Promise<void> {
    if (this.journalRecords === 0 && this.pending.length === 0) return;
    if (this.diskBroken) {
      this.logger.warn(`Not rewriting ${this.describe()} while it does not parse; new results stay in the journal`);
      return this.writePending();
    }
    try {
      await this.locked(async () => {
        await this.load(false);
        if (this.diskBroken) return;
        const snapshot = new Map(this.memory);
        await this.writeAtomically(snapshot.values());
        this.disk = snapshot;
        this.diskSignature = await this.signature();
        this.pending = [];
        if (this.journalCorrupt) {
          this.logger.warn(`Kept the journal with unreadable lines as ${this.journal.moveAside()}`);
          this.journalCorrupt = false;
        } else {
          this.journal.clear();
        }
        this.journalRecords = 0;
      });
      this.wroteOk();
    } catch (error) {
      this.writeFailed(error as Error);
    }
  }

  private async writeAtomically(entries: Iterable<CacheEntry>): Promise<void> {
    const temporary = `${this.path}.tmp-${process.pid}`;
    const handle = await open(temporary, 'w');
    try {
      let buffer = '';
      for (const chunk of formatCacheFile(entries)) {
        buffer += chunk;
        if (buffer.length >= WRITE_CHUNK) {
          await handle.write(buffer);
          buffer = '';
        }
      }
      await handle.write(buffer);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, this.path);
    // Make the rename itself durable
    const directory = await open(dirname(this.path), 'r');
    await directory.sync().catch(() => undefined);
    await directory.close();
  }

  private wroteOk(): void {
    if (this.lastWriteError) this.logger.log(`Writing ${this.describe()} works again`);
    this.lastWriteError = undefined;
    this.retryDelayMs = 1000;
  }

  private writeFailed(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    if (this.lastWriteError !== code) {
      this.logger.error(
        `Cannot write ${this.describe()}: ${error.message}. Serving from memory; nothing on disk was changed. ` +
          `Retrying every ${MAX_RETRY_DELAY_MS / 1000}s at most; free disk space or fix the directory's permissions.`,
      );
    }
    this.lastWriteError = code;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.enqueue(() => this.compact()), this.retryDelayMs);
    this.retryTimer.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
  }

  private async signature(): Promise<string> {
    try {
      const info = await stat(this.path);
      return `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  private startWatching(): void {
    const name = basename(this.path);
    try {
      // The directory, not the file: editors replace files by renaming over them
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, filename) => {
        if (filename !== name) return;
        clearTimeout(this.watchTimer);
        this.watchTimer = setTimeout(() => void this.enqueue(() => this.load(false)).catch((error: Error) => {
          this.logger.error(`Reloading ${this.describe()} failed: ${error.message}`);
        }), 50);
      });
      this.watcher.on('error', () => undefined);
    } catch (error) {
      this.logger.warn(`Cannot watch ${this.describe()} for edits (${(error as Error).message}); edits are read at the next start`);
    }
  }
}

function sameEntry(a: CacheEntry, b: CacheEntry): boolean {
  return (
    a.computedAt === b.computedAt &&
    a.hash === b.hash &&
    a.version === b.version &&
    JSON.stringify(a.value) === JSON.stringify(b.value)
  );
}
