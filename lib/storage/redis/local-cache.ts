import type { CacheEntry } from '../cache-entry';

/** Bookkeeping per entry beyond its body (key, map slot, object): an estimate, so tiny entries count too. */
const OVERHEAD_BYTES = 64;

/** The bytes an entry is counted for: its body (characters of text, or bytes) and its key (UTF-16 code units, close to bytes for JSON). */
export function entrySize(entry: CacheEntry): number {
  return entry.body.length + entry.key.length + OVERHEAD_BYTES;
}

/**
 * The entries a replica holds in memory. Unbounded by default (every entry,
 * as a plain Map); with `maxBytes`, the least recently used entries are
 * dropped to stay under it: they stay in Redis and are read back when asked for.
 */
export class LocalCache {
  private readonly map = new Map<string, CacheEntry>();
  private readonly sizes = new Map<string, number>();
  private used = 0;
  /** Entries set or dropped so far (a reorder by `get` is none): part of the store's `generation()`. */
  changes = 0;

  constructor(readonly maxBytes = Infinity) {}

  get bounded(): boolean {
    return this.maxBytes !== Infinity;
  }

  /** Bytes counted for the entries held now. */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.map.get(key);
    // Recently used moves to the end of the Map's order: eviction takes from the front
    if (entry !== undefined && this.bounded) {
      this.map.delete(key);
      this.map.set(key, entry);
    }
    return entry;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Whether an entry of this size would fit without evicting anything. */
  fits(entry: CacheEntry): boolean {
    return this.used + entrySize(entry) <= this.maxBytes;
  }

  set(entry: CacheEntry): void {
    this.changes++;
    this.delete(entry.key);
    const size = this.bounded ? entrySize(entry) : 0;
    // An entry larger than the whole budget is not kept: it would evict everything else
    if (size > this.maxBytes) return;
    this.map.set(entry.key, entry);
    this.sizes.set(entry.key, size);
    this.used += size;
    for (const [key] of this.map) {
      if (this.used <= this.maxBytes) break;
      this.delete(key);
    }
  }

  delete(key: string): boolean {
    const size = this.sizes.get(key);
    if (size === undefined) return false;
    this.changes++;
    this.map.delete(key);
    this.sizes.delete(key);
    this.used -= size;
    return true;
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  values(): IterableIterator<CacheEntry> {
    return this.map.values();
  }
}
