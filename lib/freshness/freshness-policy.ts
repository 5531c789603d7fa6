import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { CacheEntry } from '../storage/cache-entry';

/** What the policy reads of a handler: its `@Precomputed()` options. */
export type FreshnessTarget = Pick<PrecomputedHandler, 'options'>;

/**
 * When an entry is no longer fresh, stated once for serving (Cache-Control),
 * the refresh scheduler, the startup run and the CLI's `verify`:
 * - it is outdated when a handler's `version` differs from the one that computed it;
 * - it is stale when outdated, or older than its TTL (handler's `ttlSeconds`, else the module's).
 */
export class FreshnessPolicy {
  /** `defaultTtlSeconds`: the module's `ttlSeconds`; undefined: entries never expire. */
  constructor(private readonly defaultTtlSeconds?: number) {}

  /** The TTL of a handler's entries in milliseconds, or undefined when they never expire. */
  ttlMs(handler: FreshnessTarget): number | undefined {
    const seconds = handler.options.ttlSeconds ?? this.defaultTtlSeconds;
    return seconds === undefined ? undefined : seconds * 1000;
  }

  /** Computed by another `version` of the handler than the current one (no version counts as a version). */
  isOutdated(handler: FreshnessTarget, entry: Pick<CacheEntry, 'version'>): boolean {
    return (handler.options.version ?? undefined) !== entry.version;
  }

  /** Outdated, or older than its TTL at `now`. An entry exactly at its TTL is still fresh. */
  isStale(handler: FreshnessTarget, entry: Pick<CacheEntry, 'version' | 'computedAt'>, now = Date.now()): boolean {
    const ttl = this.ttlMs(handler);
    return (ttl !== undefined && now - entry.computedAt > ttl) || this.isOutdated(handler, entry);
  }
}
