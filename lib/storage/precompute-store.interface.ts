import type { LoggerService } from '@nestjs/common';
import type { CacheEntry } from './cache-entry';

/** Injection token of the store; its name mirrors the interface, as in @nestjs/throttler. */
export const PRECOMPUTE_STORE = Symbol('PrecomputeStore');

/** A claim on one combination; release it once the result is stored, or given up. */
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
   * The one coordination protocol between processes sharing the store: claims
   * `key` for computing (a startup combination, a scheduled or stale refresh).
   * Resolves with a Claim when this process may compute it, after picking up
   * what other processes stored, so the caller re-checks `get(key)` before
   * computing; or with undefined while another process holds it (its result
   * arrives through `onExternalChange`; ask again later). A store that only one
   * process uses returns a claim at once.
   */
  claim(key: string): Promise<Claim | undefined>;
  /** Makes everything stored so far durable in its final form (e.g. the file compacted); called after a run. */
  flush(): Promise<void>;
  /**
   * Optional, for stores that hold only part of their entries in memory
   * (RedisStore with `localCache`): `get(key)`, or on a local miss the entry
   * read from the backing store (then kept in memory). The serving path awaits
   * it on a miss before answering live; stores holding everything omit it.
   */
  fetch?(key: string): Promise<CacheEntry | undefined>;
  /**
   * Optional: a number that changes whenever `get()` may answer differently
   * for some key. `status()` (and health checks, gauges) reuse their counts
   * while it stays the same; a store without it is counted on every call.
   */
  generation?(): number;
  /** Calls `listener` with the keys whose entries changed from outside this process. */
  onExternalChange(listener: (keys: readonly string[]) => void): void;
  /** For logs: `cache.json`, `redis://.../prefix`. */
  describe(): string;
  close(): Promise<void>;
}
