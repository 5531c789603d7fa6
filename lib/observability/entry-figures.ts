import { isEdited, type CacheEntry } from '../storage/cache-entry';

/** What the store holds for one handler's combinations. */
export interface EntryFigures {
  readonly cached: number;
  readonly stale: number;
  /** UTF-8 bytes of the bodies held. */
  readonly bytes: number;
  /** Epoch ms when the next entry turns stale (in the past: a stale entry awaits its refresh); undefined: none will. */
  readonly nextStaleAt?: number;
}

const sizes = new WeakMap<CacheEntry, number>();

function sizeOf(entry: CacheEntry): number {
  let size = sizes.get(entry);
  if (size === undefined) {
    size = Buffer.byteLength(entry.body);
    sizes.set(entry, size);
  }
  return size;
}

/**
 * Counts, stale entries, bytes and the next time an entry turns stale, over
 * the entries of one handler's combinations (undefined: not cached). Hand
 * edits are never refreshed, so they set no next refresh.
 */
export function entryFigures(
  entries: Iterable<CacheEntry | undefined>,
  ttlMs: number | undefined,
  isStale: (entry: CacheEntry) => boolean,
): EntryFigures {
  let cached = 0;
  let stale = 0;
  let bytes = 0;
  let nextStaleAt: number | undefined;
  for (const entry of entries) {
    if (!entry) continue;
    cached++;
    bytes += sizeOf(entry);
    const isStaleNow = isStale(entry);
    if (isStaleNow) stale++;
    if (isEdited(entry)) continue;
    const at = isStaleNow ? Date.now() : ttlMs === undefined ? undefined : entry.computedAt + ttlMs;
    if (at !== undefined && (nextStaleAt === undefined || at < nextStaleAt)) nextStaleAt = at;
  }
  return { cached, stale, bytes, ...(nextStaleAt === undefined ? {} : { nextStaleAt }) };
}
