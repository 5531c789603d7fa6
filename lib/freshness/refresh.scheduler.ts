import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { Computations } from '../engine/combination-runner';
import { EventLoopTurns, selectInTurns, someInTurns } from '../engine/event-loop-turns';
import { HandlerPlans, type Combination } from '../engine/handler-plans';
import { backoffMs } from '../engine/retry';
import { SWEEP_MS } from '../precompute.constants';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { isEdited, type CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { DomainRefresh } from './domain-refresh';
import { FreshnessPolicy } from './freshness-policy';
import { RefreshQueue } from './refresh-queue';

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Keeps entries fresh (stale-while-revalidate): a stale entry (see
 * FreshnessPolicy) is still served while it is recomputed in the background.
 * Found on a hit, and by a periodic sweep so data refreshes without traffic. A
 * refresh that fails keeps the old value and is tried again after a doubling
 * delay; an entry a person edited is never replaced here.
 */
@Injectable()
export class RefreshScheduler implements OnApplicationShutdown {
  private handlers: readonly PrecomputedHandler[] = [];
  private timer?: NodeJS.Timeout;
  /** Keys whose refresh failed: when to try again, and how many failures so far. */
  private readonly backoff = new Map<string, { retryAt: number; failures: number }>();
  private stopped = false;
  private readonly turns = new EventLoopTurns();
  /** Edited entries already reported, so each is logged once. */
  private readonly reportedEdits = new WeakSet<CacheEntry>();

  constructor(
    private readonly queue: RefreshQueue,
    private readonly plans: HandlerPlans,
    private readonly computations: Computations,
    private readonly policy: FreshnessPolicy,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly domains: DomainRefresh,
    private readonly metrics: PrecomputeMetrics,
  ) {}

  /** Starts sweeping for stale entries; the first sweep runs at once. */
  start(handlers: readonly PrecomputedHandler[]): void {
    this.handlers = handlers;
    const ttls = handlers.map((handler) => this.policy.ttlMs(handler)).filter((ttl): ttl is number => ttl !== undefined);
    const interval = ttls.length ? Math.min(Math.max(Math.min(...ttls) / 2, SWEEP_MS.min), SWEEP_MS.max) : undefined;
    void this.sweep();
    if (interval !== undefined) {
      this.timer = setInterval(() => void this.sweep(), interval);
      this.timer.unref();
    }
  }

  /** Called on every cache hit: counts a stale one served, and refreshes it in the background. */
  noticeHit(handler: PrecomputedHandler, entry: CacheEntry): void {
    if (this.stopped || !this.policy.isStale(handler, entry)) return;
    this.metrics.staleServed(handler);
    if (!this.due(entry.key, Date.now())) return;
    const combination = this.plans.find(handler, entry.key);
    if (combination && !isEdited(entry)) void this.refreshInBackground([combination], 'stale');
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Not being refreshed already, and not waiting after a failure. */
  private due(key: string, now: number): boolean {
    return this.computations.current(key) === undefined && (this.backoff.get(key)?.retryAt ?? 0) <= now;
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    const reread = new Set<unknown>();
    for (const handler of this.handlers) {
      if (!(await this.rereadDomains(handler, now, reread))) continue;
      let outdated = false;
      // A walk over every combination: a million of them would hold the event loop for a second without turns
      const stale = await selectInTurns(
        this.plans.of(handler),
        (combination) => {
          const entry = this.store.get(combination.key);
          if (!entry || !this.policy.isStale(handler, entry, now) || !this.due(combination.key, now)) return false;
          // Hand edits stay: report each once, and do not even queue them
          if (isEdited(entry)) {
            if (!this.reportedEdits.has(entry)) {
              this.reportedEdits.add(entry);
              this.logger.log(`Kept the hand-edited entry ${combination.key}, although it is stale; refresh with { force: true } to replace it`);
            }
            return false;
          }
          outdated ||= this.policy.isOutdated(handler, entry);
          return true;
        },
        this.turns,
      );
      if (this.stopped) return;
      if (stale.length) await this.refreshInBackground(stale, outdated ? 'new version' : 'stale');
    }
  }

  /**
   * A handler with data domains and stale entries is about to be refreshed:
   * its domains are read again first (once per sweep for all its routes), and
   * values new in them are computed. False when that data failed: the handler
   * keeps its previous plan and is not refreshed by this sweep.
   */
  private async rereadDomains(handler: PrecomputedHandler, now: number, reread: Set<unknown>): Promise<boolean> {
    const source = handler.plan.source;
    if (!source.dynamic || reread.has(source)) return reread.has(source) ? handler.plan.failure === undefined : true;
    const anyStale = await someInTurns(
      this.plans.of(handler),
      (combination) => {
        const entry = this.store.get(combination.key);
        return entry !== undefined && this.policy.isStale(handler, entry, now) && !isEdited(entry);
      },
      this.turns,
    );
    if (!anyStale) return true;
    reread.add(source);
    const result = await this.domains.reevaluate(this.handlers.filter((candidate) => candidate.plan.source === source));
    if (result.failed(handler)) return false;
    for (const route of this.handlers.filter((candidate) => candidate.plan.source === source)) {
      const added = this.plans.missing(route);
      // Computed once across processes: one that finds it stored since this sweep began leaves it
      if (added.length) await this.queue.refresh(added, { reason: 'new in its data domain', computedBefore: now });
    }
    return true;
  }

  private async refreshInBackground(combinations: readonly Combination[], reason: string): Promise<void> {
    const summary = await this.queue.refresh(combinations, { reason, onlyIfStale: true });
    const failed = new Set(summary.failures.map((failure) => failure.key));
    const now = Date.now();
    for (const { key } of combinations) {
      if (!failed.has(key)) {
        this.backoff.delete(key);
        continue;
      }
      // Stale-if-error: the old value stays; try again later, each time twice as late
      const failures = (this.backoff.get(key)?.failures ?? 0) + 1;
      const delay = backoffMs(this.options.retryDelayMs, failures, MAX_BACKOFF_MS);
      this.backoff.set(key, { retryAt: now + delay, failures });
      this.logger.warn(`Refresh of ${key} failed (${failures}x); still serving the previous value, next try in ${delay}ms`);
    }
  }
}
