/*
 * The facade of the file store: it owns the in-memory state (memory, the last
 * state read from disk, its signature) and wires the rules (entry-merge), the
 * writer (journaled-writer), the file operations (atomic-write,
 * cache-file-path), the claims (lock-claims) and the watcher together. It is
 * over 200 lines because loading and compaction both read and write that one
 * state; every decision lives in the files it calls.
 */
import type { LoggerService } from '@nestjs/common';
import { lstat, rename, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InvalidFilePolicy } from '../../interfaces/precompute-module-options.interface';
import { messages } from '../../precompute.messages';
import type { CacheEntry } from '../cache-entry';
import { ChangeCountingMap } from '../change-counting-map';
import type { Claim, PrecomputeStore, StoreContext } from '../precompute-store.interface';
import { finishInterruptedWrites, fileSignature, writeAtomically } from './atomic-write';
import { CacheFileError } from './cache-file-format';
import { prepareDirectory, readCacheFile, resolveCacheFile } from './cache-file-path';
import { readCacheFile as readStreaming, type CacheFileIndex } from './cache-file-reader';
import { writeCacheFile } from './cache-file-writer';
import { CacheFileWatcher } from './cache-file-watcher';
import { journalEntries, mergeDiskChange, replayJournal, withJournal } from './entry-merge';
import { FileLock } from './file-lock';
import { Journal } from './journal';
import { JournaledWriter } from './journaled-writer';
import { LockClaims } from './lock-claims';
import { WriteRetry } from './write-retry';

export interface JsonFileStoreOptions {
  /** Path of the cache file, relative to the working directory. */
  readonly file: string;
  readonly onInvalidFile?: InvalidFilePolicy;
  /** Reload the file (and other processes' results) when it changes while the app runs. */
  readonly watch?: boolean;
  readonly lockStaleMs?: number;
}

/** Edits landing during each of this many compaction attempts in a row: give up until the retry. */
const MAX_COMPACTION_ATTEMPTS = 10;

/**
 * The default store: a human-editable JSON file, plus a journal that makes every
 * result durable the moment it completes. See the README's Guarantees table.
 */
export class JsonFileStore implements PrecomputeStore {
  /** The file written: the configured path, or the target of a symlink. */
  path: string;
  private readonly memory = new ChangeCountingMap<string, CacheEntry>();
  /** The entries as the file held them when this process last read or wrote it. */
  private disk = new Map<string, CacheEntry>();
  /** The journal as this process knows it (what it read, and its own appends since): its inode and what it holds per key. */
  private journaled: { ino?: number; entries: Map<string, CacheEntry | undefined> } = { entries: new Map() };
  private diskSignature = 'missing';
  /** Hashes of the entries' bytes in that state (when watching): a re-read parses only what changed. */
  private diskIndex?: CacheFileIndex;
  /** The file on disk does not parse (a hand edit in progress): never overwrite it. */
  private diskBroken = false;
  private journalCorrupt = false;
  private journal!: Journal;
  private lock!: FileLock;
  private logger!: LoggerService;
  private watcher?: CacheFileWatcher;
  /** Watches the symbolic link the file was configured through, if it was. */
  private linkWatcher?: CacheFileWatcher;
  private linkReplacedLogged = false;
  private retry!: WriteRetry;
  private readonly writer: JournaledWriter;
  private readonly listeners: Array<(keys: readonly string[]) => void> = [];
  private cannotLockLogged = false;
  private copyLogged = false;
  private claims!: LockClaims;

  constructor(private readonly options: JsonFileStoreOptions) {
    this.path = resolve(options.file);
    this.writer = new JournaledWriter(
      {
        append: (records) =>
          this.withLock(async () => {
            const ino = this.journal.append(records);
            // The same journal as read: these records join what it holds; another one (the old was folded): they are all it holds
            if (ino !== this.journaled.ino) this.journaled = { ino, entries: new Map() };
            journalEntries(records, this.journaled.entries);
          }),
        rewrite: (snapshot) => this.rewrite(snapshot),
        entries: () => this.memory.size,
      },
      { failed: (error) => this.retry.failed(error), succeeded: () => this.retry.succeeded() },
    );
  }

  describe(): string {
    return this.options.file;
  }

  async open(context: StoreContext): Promise<void> {
    this.logger = context.logger;
    this.path = await resolveCacheFile(this.options.file);
    if (this.path !== resolve(this.options.file)) this.logger.log(messages.cacheFileSymlink(this.describe(), this.path));
    this.journal = new Journal(`${this.path}.journal`);
    this.lock = new FileLock(
      `${this.path}.lock`,
      this.options.lockStaleMs ?? 10_000,
      () => this.logger.log(`Waiting for another process that is computing into ${this.describe()}`),
      (error) => this.logger.error(`Lost the lock on ${this.describe()}: ${error.message}`),
    );
    this.claims = new LockClaims(this.lock, {
      acquired: () =>
        this.writer.run(() => this.load(false)).catch((error: Error) => this.logger.error(`Reloading ${this.describe()} failed: ${error.message}`)),
      unlockable: (error) => this.cannotLock(error),
      released: () => this.unlock(),
    });
    this.retry = new WriteRetry(this.describe(), this.logger, () => void this.writer.compact());
    await prepareDirectory(this.path, this.describe());
    const leftovers = await finishInterruptedWrites(this.path, (path) => parses(path, this.path));
    if (leftovers.removed.length) this.logger.warn(messages.cacheFileLeftovers(this.describe(), leftovers.removed, leftovers.finished));
    await this.load(true);
    if (this.options.watch ?? true) {
      this.watcher = new CacheFileWatcher([this.path, this.journal.path], () => void this.reloadInBackground());
      const error = this.watcher.start();
      if (error) this.logger.warn(`Cannot watch ${this.describe()} for edits (${error.message}); edits are read at the next start`);
      if (this.linked()) {
        this.linkWatcher = new CacheFileWatcher([resolve(this.options.file)], () => void this.checkLink());
        this.linkWatcher.start();
      }
    }
  }

  get(key: string): CacheEntry | undefined {
    return this.memory.get(key);
  }

  entries(): IterableIterator<CacheEntry> {
    return this.memory.values();
  }

  generation(): number {
    return this.memory.changes;
  }

  onExternalChange(listener: (keys: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  put(entries: readonly CacheEntry[], options: { force?: boolean } = {}): Promise<void> {
    for (const entry of entries) this.memory.set(entry.key, entry);
    return this.writer.record(entries.map((entry) => ({ op: 'put', entry, ...(options.force ? { force: true } : {}) })));
  }

  delete(keys: readonly string[]): Promise<void> {
    const at = Date.now();
    const removed = keys.filter((key) => this.memory.delete(key));
    return this.writer.record(removed.map((key) => ({ op: 'delete', key, at })));
  }

  /** The file lock is the claim on every key (see LockClaims); the caller re-checks `get(key)` after it. */
  claim(_key: string): Promise<Claim | undefined> {
    return this.claims.claim();
  }

  async flush(): Promise<void> {
    await this.writer.compact();
    await this.claims.drop();
  }

  async close(): Promise<void> {
    this.watcher?.stop();
    this.linkWatcher?.stop();
    this.retry?.stop();
    await this.writer.compact();
    this.retry?.stop();
    await this.claims?.drop(true);
    this.journal?.close();
  }

  /** Runs `work` holding the lock, or without it when the directory cannot be locked. */
  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    let locked = false;
    try {
      await this.lock.acquire();
      locked = true;
      this.cannotLockLogged = false;
    } catch (error) {
      this.cannotLock(error as Error);
    }
    try {
      return await work();
    } finally {
      if (locked) await this.unlock();
    }
  }

  private cannotLock(error: Error): void {
    if (!this.cannotLockLogged) this.logger.error(messages.cacheFileUnlockable(this.describe(), error.message));
    this.cannotLockLogged = true;
  }

  private async unlock(): Promise<void> {
    try {
      await this.lock.release();
    } catch (error) {
      this.logger.error(`Could not release the lock on ${this.describe()}: ${(error as Error).message}`);
    }
  }

  /** Whether the file was configured through a symbolic link (written through to its target). */
  private linked(): boolean {
    return this.path !== resolve(this.options.file);
  }

  /**
   * A symbolic link replaced (an editor or `sed -i` renames a new file over
   * it): this process cannot tell where the truth is, so it keeps writing the
   * target and says what to do, once per replacement (checked by the link's
   * watcher, and before each compaction when the watcher is off).
   */
  private async checkLink(): Promise<void> {
    if (!this.linked()) return;
    let now: string | 'removed';
    try {
      now = (await pathExists(this.options.file)) ? await resolveCacheFile(this.options.file) : 'removed';
    } catch {
      // Changing under our feet (removed between two calls): the next change of the link is checked again
      return;
    }
    if (now === this.path) {
      if (this.linkReplacedLogged) this.logger.log(messages.cacheFileLinkRestored(this.describe(), this.path));
      this.linkReplacedLogged = false;
      return;
    }
    const replacedBy = now === 'removed' ? 'removed' : now === resolve(this.options.file) ? 'a regular file' : `a link to ${now}`;
    if (!this.linkReplacedLogged) this.logger.error(messages.cacheFileLinkReplaced(this.describe(), this.path, replacedBy));
    this.linkReplacedLogged = true;
  }

  /** The index of entry hashes serves the watcher's re-reads: without the watcher, no need to hash every entry. */
  private indexing(): boolean {
    return this.options.watch ?? true;
  }

  private async reloadInBackground(): Promise<void> {
    try {
      await this.writer.run(() => this.load(false));
    } catch (error) {
      this.logger.error(`Reloading ${this.describe()} failed: ${(error as Error).message}`);
    }
  }

  /** Reads the file (if it changed since this process last saw it) and the journal, and merges both into memory. */
  private async load(initial: boolean): Promise<void> {
    const signature = await fileSignature(this.path);
    if (initial || signature !== this.diskSignature) {
      if (signature === 'missing' && !initial) this.fileDeleted();
      else await this.loadFile(signature, initial);
    }
    if (initial || this.journal.hasUnread()) this.replay(initial);
  }

  private async loadFile(signature: string, initial: boolean): Promise<void> {
    let fromDisk: Map<string, CacheEntry> | undefined;
    let index: CacheFileIndex | undefined;
    try {
      // Streaming; a re-read of a file this process knows parses only the entries whose bytes changed
      const previous = initial ? undefined : this.diskIndex;
      const read = await readCacheFile(this.path, this.describe(), { previous, index: this.indexing() });
      if (!read && !initial) return this.fileDeleted();
      if (read && previous) {
        fromDisk = new Map(this.disk);
        for (const key of read.removed) fromDisk.delete(key);
        for (const [key, entry] of read.entries) fromDisk.set(key, entry);
      } else {
        fromDisk = read?.entries;
      }
      index = read && this.indexing() ? read.index : undefined;
    } catch (error) {
      if (!(error instanceof CacheFileError)) throw error;
      if (!initial) {
        this.diskBroken = true;
        this.diskSignature = signature;
        this.logger.error(messages.cacheFileBrokenWhileRunning(error.summary, this.memory.size));
        return;
      }
      if (this.options.onInvalidFile !== 'move-aside') throw error;
      const aside = `${this.path}.invalid-${Date.now()}`;
      await rename(this.path, aside);
      this.logger.warn(`${error.message} Moved it to ${aside} (bytes unchanged) and started with an empty cache.`);
      fromDisk = new Map();
    }
    fromDisk ??= new Map();
    if (this.diskBroken && !initial) this.logger.log(messages.cacheFileValidAgain(this.describe()));
    this.diskBroken = false;
    // Another process folded the journal this process knew into this file: compare with the file and that journal
    const folded = !initial && this.journaled.entries.size > 0 && this.journal.currentIno() !== this.journaled.ino;
    const lastState = initial ? new Map<string, CacheEntry>() : folded ? withJournal(this.disk, this.journaled.entries) : this.disk;
    if (folded) this.journaled = { entries: new Map() };
    const change = mergeDiskChange(this.memory, lastState, fromDisk);
    for (const entry of change.taken) this.memory.set(entry.key, entry);
    for (const key of change.removed) this.memory.delete(key);
    this.disk = fromDisk;
    this.diskIndex = index;
    this.diskSignature = signature;
    if (initial) return;
    const changed = [...change.taken.map((entry) => entry.key), ...change.removed];
    if (change.keptNewer.length) {
      this.logger.warn(messages.cacheFileStaleSave(this.describe(), change.keptNewer.length, change.keptMissing.length, change.taken.length));
      // The file lacks what memory holds, and the journal may be gone: write it back
      this.writer.markForRewrite();
      void this.writer.compact();
    } else if (changed.length) {
      this.logger.log(messages.cacheFileReloaded(this.describe(), changed.length));
    }
    this.notify(changed);
  }

  private fileDeleted(): void {
    if (this.diskSignature !== 'missing') this.logger.warn(messages.cacheFileDeleted(this.describe(), this.memory.size));
    this.diskSignature = 'missing';
    this.disk = new Map();
    this.diskIndex = undefined;
    this.diskBroken = false;
    this.writer.markForRewrite();
    void this.writer.compact();
  }

  private replay(initial: boolean): void {
    const { records, corruptLines, tornTail, ino } = this.journal.read();
    this.journaled = { ino, entries: journalEntries(records) };
    if (corruptLines > 0) {
      this.journalCorrupt = true;
      this.logger.warn(messages.journalCorruptLines(this.journal.path, corruptLines));
    }
    if (tornTail) this.logger.warn(messages.journalTornTail(this.journal.path));
    const result = replayJournal(this.memory, records);
    for (const entry of result.set) this.memory.set(entry.key, entry);
    for (const key of result.deleted) this.memory.delete(key);
    this.writer.journalRead(records.length);
    if (result.keptEdits.length && initial) this.logger.log(messages.journalKeptEdits(result.keptEdits.length));
    const changed = [...result.set.map((entry) => entry.key), ...result.deleted];
    if (initial && result.set.length) this.logger.log(messages.journalRecovered(this.journal.path, result.set.length));
    if (!initial) this.notify(changed);
  }

  private notify(keys: readonly string[]): void {
    if (keys.length === 0) return;
    for (const listener of this.listeners) listener(keys);
  }

  /**
   * Compaction: folds memory (journal included) into the file under the lock.
   * An edit saved while the new file was written is noticed just before the
   * rename, merged, and the file written again: only an edit landing within
   * the rename itself can be missed.
   */
  private rewrite(snapshot: () => void): Promise<boolean> {
    return this.withLock(async () => {
      await this.checkLink();
      await this.load(false);
      for (let attempt = 1; ; attempt++) {
        if (this.diskBroken) {
          this.logger.warn(messages.cacheFileNotRewritten(this.describe()));
          return false;
        }
        snapshot();
        const entries = new Map(this.memory);
        const expected = this.diskSignature;
        let index: CacheFileIndex | undefined;
        const write = async (handle: FileHandle) => {
          index = await writeCacheFile(handle, entries.values(), this.indexing());
        };
        const written = await writeAtomically(this.path, write, {
          beforeReplace: async () => (await fileSignature(this.path)) === expected,
        });
        if (written.outcome !== 'aborted') {
          if (written.outcome === 'copied' && !this.copyLogged) this.logger.log(messages.cacheFileCopiedInPlace(this.describe(), written.code ?? 'EBUSY'));
          this.copyLogged ||= written.outcome === 'copied';
          this.disk = entries;
          this.diskIndex = index;
          this.diskSignature = written.signature;
          if (this.journalCorrupt) {
            this.logger.warn(`Kept the journal with unreadable lines as ${this.journal.moveAside()}`);
            this.journalCorrupt = false;
          } else {
            this.journal.clear();
          }
          this.journaled = { entries: new Map() };
          return true;
        }
        this.logger.log(messages.cacheFileEditedDuringCompaction(this.describe()));
        if (attempt === MAX_COMPACTION_ATTEMPTS) throw new Error(`${this.describe()} kept changing during ${attempt} compactions in a row`);
        await this.load(false);
      }
    });
  }
}

/** Whether the file at `path` is a complete cache file (read streaming: it may be over 512 MiB). */
async function parses(path: string, file: string): Promise<boolean> {
  try {
    const read = await readStreaming(path, file, { index: false });
    return read.bytes > 0 && !read.empty;
  } catch {
    return false;
  }
}

/** Whether something (a file, a link, even a dangling one) is at `path`. */
async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
