import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { PrecomputeEngine, type Job } from '../engine/precompute.engine';
import { SWEEP_MS } from '../precompute.constants';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { isEdited, type CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Keeps entries fresh (stale-while-revalidate): an entry older than its TTL,
 * or computed by an older `version` of its handler, is still served while it
 * is recomputed in the background. Found on a hit, and by a periodic sweep so
 * data refreshes without traffic. A refresh that fails keeps the old value and
 * is tried again with backoff; an entry a person edited is never replaced here.
 */
@Injectable()
export class RefreshScheduler implements OnApplicationShutdown {
  private handlers: readonly PrecomputedHandler[] = [];
  private timer?: NodeJS.Timeout;
  /** Keys whose refresh failed: when to try again, and how many failures so far. */
  private readonly backoff = new Map<string, { retryAt: number; failures: number }>();
  private readonly refreshing = new Set<string>();
  private stopped = false;
  /** Edited entries already reported, so each is logged once. */
  private readonly reportedEdits = new WeakSet<CacheEntry>();

  constructor(
    private readonly engine: PrecomputeEngine,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly metrics: PrecomputeMetrics,
  ) {}

  /** Starts sweeping for stale entries; the first sweep runs at once. */
  start(handlers: readonly PrecomputedHandler[]): void {
    this.handlers = handlers;
    const ttls = handlers.map((handler) => this.ttlMs(handler)).filter((ttl): ttl is number => ttl !== undefined);
    const interval = ttls.length ? Math.min(Math.max(Math.min(...ttls) / 2, SWEEP_MS.min), SWEEP_MS.max) : undefined;
    void this.sweep();
    if (interval !== undefined) {
      this.timer = setInterval(() => void this.sweep(), interval);
      this.timer.unref();
    }
  }

  /** Called on every cache hit: refreshes a stale entry in the background. */
  noticeHit(handler: PrecomputedHandler, entry: CacheEntry): void {
    if (!this.isStale(handler, entry)) return;
    this.metrics.staleServed(handler);
    if (this.refreshing.has(entry.key)) return;
    const job = this.engine.jobOf(handler, entry.key);
    if (job) void this.refreshInBackground([job], 'stale');
  }

  /** Older than its TTL, or computed by another version of the handler. */
  isStale(handler: PrecomputedHandler, entry: CacheEntry, now = Date.now()): boolean {
    const ttl = this.ttlMs(handler);
    return (ttl !== undefined && now - entry.computedAt > ttl) || this.isOutdated(handler, entry);
  }

  isOutdated(handler: PrecomputedHandler, entry: CacheEntry): boolean {
    return (handler.options.version ?? undefined) !== entry.version;
  }

  ttlMs(handler: PrecomputedHandler): number | undefined {
    const seconds = handler.options.ttlSeconds ?? this.options.ttlSeconds;
    return seconds === undefined ? undefined : seconds * 1000;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    for (const handler of this.handlers) {
      const stale: Job[] = [];
      for (const job of this.engine.plan(handler)) {
        const entry = this.store.get(job.key);
        if (!entry || this.refreshing.has(job.key) || !this.isStale(handler, entry, now)) continue;
        if ((this.backoff.get(job.key)?.retryAt ?? 0) > now) continue;
        // Hand edits stay: report each once, and do not even ask the engine
        if (isEdited(entry)) {
          if (!this.reportedEdits.has(entry)) {
            this.reportedEdits.add(entry);
            this.logger.log(`Kept the hand-edited entry ${job.key}, although it is stale; refresh with { force: true } to replace it`);
          }
          continue;
        }
        stale.push(job);
      }
      if (stale.length) await this.refreshInBackground(stale, stale.some((job) => this.isOutdated(handler, this.store.get(job.key) as CacheEntry)) ? 'new version' : 'stale');
    }
  }

  private async refreshInBackground(jobs: readonly Job[], reason: string): Promise<void> {
    for (const job of jobs) this.refreshing.add(job.key);
    try {
      const summary = await this.engine.refresh(jobs, { reason });
      const failed = new Set(summary.failures.map((failure) => failure.key));
      const now = Date.now();
      for (const job of jobs) {
        if (!failed.has(job.key)) {
          this.backoff.delete(job.key);
          continue;
        }
        // Stale-if-error: the old value stays; try again later, each time later
        const failures = (this.backoff.get(job.key)?.failures ?? 0) + 1;
        const delay = Math.min(this.options.retryDelayMs * 2 ** failures, MAX_BACKOFF_MS);
        this.backoff.set(job.key, { retryAt: now + delay, failures });
        this.logger.warn(`Refresh of ${job.key} failed (${failures}x); still serving the previous value, next try in ${delay}ms`);
      }
    } finally {
      for (const job of jobs) this.refreshing.delete(job.key);
    }
  }
}
