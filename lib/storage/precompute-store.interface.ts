import type { LoggerService } from '@nestjs/common';
import type { CacheEntry } from './cache-entry';

/** Injection token of the store; its name mirrors the interface, as in @nestjs/throttler. */
export const PRECOMPUTE_STORE = Symbol('PrecomputeStore');

/** A claim on one combination; release it once the result is stored. */
export interface Claim {
  release(): Promise<void>;
}

export interface StoreContext {
  readonly logger: LoggerService;
}

/**
 * Where precomputed entries live. The JSON file store is the default; a store
 * shared by several replicas implements the same contract.
 *
 * Reads are synchronous and served from memory: the request path never waits
 * for I/O. `get()` sees an entry as soon as `put()` is called; the write is
 * durable (survives the process being killed) once its promise resolves.
 */
export interface PrecomputeStore {
  /** Loads what is persisted. Called once, before anything else. */
  open(context: StoreContext): Promise<void>;
  get(key: string): CacheEntry | undefined;
  entries(): IterableIterator<CacheEntry>;
  /**
   * Stores entries. `force` marks an explicit refresh that replaces values a
   * person edited (a store that keeps a log uses it when replaying).
   */
  put(entries: readonly CacheEntry[], options?: { force?: boolean }): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Runs `work` while this process is the only one computing into the store;
   * other processes wait, then see everything it computed. Picks up changes
   * made by others before `work` starts, and persists everything after.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Claims one combination for this process, for stores shared by several
   * processes that split the work between them (a lease that expires if the
   * process dies). Resolves with a release function, or undefined when another
   * process holds the claim. Stores without it rely on `exclusive()`.
   */
  claim?(key: string): Promise<Claim | undefined>;
  /** Calls `listener` with the keys whose entries changed from outside this process. */
  onExternalChange(listener: (keys: readonly string[]) => void): void;
  /** For logs: `cache.json`, `redis://.../prefix`. */
  describe(): string;
  close(): Promise<void>;
}
