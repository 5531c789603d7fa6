import { isEdited, type CacheEntry } from '../storage/cache-entry';

/** What the store holds for one handler's combinations. */
export interface EntryFigures {
  readonly cached: number;
  readonly stale: number;
  /** UTF-8 bytes of the bodies held. */
  readonly bytes: number;
  /** Epoch ms when the next entry turns stale (in the past: a stale entry awaits its refresh); undefined: none will. */
  readonly nextStaleAt?: number;
  /** Stored 4xx answers by status (empty when there are none). */
  readonly answered: Readonly<Record<number, number>>;
  /** Epoch ms when an entry fresh now turns stale, the first time these figures change without the store changing; undefined: never. */
  readonly freshUntil?: number;
}

const sizes = new WeakMap<CacheEntry, number>();

function sizeOf(entry: CacheEntry): number {
  let size = sizes.get(entry);
  // Stryker disable next-line ConditionalExpression: the memo only: measured again, the size is the same
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
  let freshUntil: number | undefined;
  const answered: Record<number, number> = {};
  for (const entry of entries) {
    if (!entry) continue;
    cached++;
    bytes += sizeOf(entry);
    if (entry.status !== undefined) answered[entry.status] = (answered[entry.status] ?? 0) + 1;
    const isStaleNow = isStale(entry);
    if (isStaleNow) stale++;
    // A fresh entry, edited or not, counts as stale once its TTL is over
    const until = isStaleNow || ttlMs === undefined ? undefined : entry.computedAt + ttlMs;
    // Stryker disable next-line EqualityOperator: an equal time is the same time
    if (until !== undefined && (freshUntil === undefined || until < freshUntil)) freshUntil = until;
    const at = isStaleNow ? Date.now() : until;
    // Hand edits are never refreshed; whether an entry is one (a hash of its body) is asked only of an earlier candidate
    // Stryker disable next-line EqualityOperator: an equal time is the same time
    if (at !== undefined && (nextStaleAt === undefined || at < nextStaleAt) && !isEdited(entry)) nextStaleAt = at;
  }
  return { cached, stale, bytes, answered, ...(nextStaleAt === undefined ? {} : { nextStaleAt }), ...(freshUntil === undefined ? {} : { freshUntil }) };
}

/** Figures with what they were counted from: a handler's plan, and the store's `generation()` then, and what the count cost. */
export interface CountedFigures {
  readonly plan: readonly unknown[];
  readonly generation?: number;
  readonly figures: EntryFigures;
  /** Epoch ms when they were counted. */
  readonly countedAt: number;
  /** How long the count held the event loop, in ms. */
  readonly countMs: number;
}

/** A count that took this long (about 30,000 entries and more) is one to space out. */
export const COSTLY_COUNT_MS = 50;
/** A costly count is repeated no sooner than this many times its length after it: counting then takes at most 1/20 of the time. */
export const COUNT_SPACING = 20;

/**
 * Whether figures counted before still hold `now`: the same plan, a store that
 * reports its changes and reports none since, and no entry past its TTL since.
 * Or, for a costly count, while it is recent: health checks, status calls and
 * metrics scrapes during a refresh of a large cache would otherwise each block
 * the event loop for a whole count, so their figures may lag by up to
 * COUNT_SPACING times the count's length (about 10 s at 300,000 entries).
 */
export function figuresHold(last: CountedFigures, current: { readonly plan: readonly unknown[]; readonly generation?: number }, now: number): boolean {
  if (last.plan !== current.plan) return false;
  if (last.countMs >= COSTLY_COUNT_MS && now - last.countedAt < last.countMs * COUNT_SPACING) return true;
  return (
    current.generation !== undefined &&
    last.generation === current.generation &&
    (last.figures.freshUntil === undefined || now <= last.figures.freshUntil)
  );
}
