import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { HandlerPlans } from '../engine/handler-plans';
import { FreshnessPolicy } from '../freshness/freshness-policy';
import type { HandlerCounts } from '../interfaces/precompute-status.interface';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { entryFigures, figuresHold, type CountedFigures, type EntryFigures } from './entry-figures';
import type { HandlerObservations } from './handler-observations.interface';
import { PrecomputeMetrics } from './precompute-metrics';
import { servingPath } from './serving-path';

/** Failing combinations listed per handler (the count covers them all). */
const LISTED_FAILURES = 10;

/**
 * What `status()` adds to each handler's counts, and what the status page, the
 * health indicator and the gauges show: coverage, stale entries, bytes,
 * answers, failures, refreshes, run progress and the serving path.
 */
@Injectable()
export class PrecomputeStatusCollector {
  /** The last figures of each handler, with what they were counted from. */
  private readonly counted = new WeakMap<PrecomputedHandler, CountedFigures>();

  constructor(
    private readonly metrics: PrecomputeMetrics,
    private readonly plans: HandlerPlans,
    private readonly policy: FreshnessPolicy,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  /**
   * Entries held for a handler: count, stale, bytes, 4xx answers, when the next
   * one turns stale. Counted in one pass over the plan, then reused while the
   * store reports no change (`generation()`) and no entry turned stale, and
   * for a while after a costly count (`figuresHold`): health checks and gauges
   * poll this, and a pass over a million entries takes most of a second.
   */
  figures(handler: PrecomputedHandler): EntryFigures {
    const plan = this.plans.of(handler);
    const generation = this.store.generation?.();
    const last = this.counted.get(handler);
    const now = Date.now();
    if (last && figuresHold(last, { plan, generation }, now)) return last.figures;
    const started = performance.now();
    const figures = entryFigures(
      (function* (store: PrecomputeStore) {
        for (const combination of plan) yield store.get(combination.key);
      })(this.store),
      this.policy.ttlMs(handler),
      (entry) => this.policy.isStale(handler, entry),
    );
    this.counted.set(handler, { plan, generation, figures, countedAt: now, countMs: performance.now() - started });
    return figures;
  }

  observe(handler: PrecomputedHandler, status: Pick<HandlerCounts, 'total' | 'cached'>): HandlerObservations {
    const figures = this.figures(handler);
    const activity = this.metrics.activity(handler);
    // A failure is over once the combination holds an entry computed after it (a live answer, another process, a refresh)
    const failures = [...activity.failing.values()]
      .filter((failure) => !((this.store.get(failure.key)?.computedAt ?? -1) >= failure.at))
      .sort((a, b) => b.at - a.at);
    const run = activity.run;
    return {
      coverage: status.total === 0 ? 1 : status.cached / status.total,
      stale: figures.stale,
      bytes: figures.bytes,
      answers: {
        cached: activity.cached,
        early: activity.early,
        notModified: activity.notModified,
        live: activity.live,
        stale: activity.stale,
        byStatus: { ...activity.byStatus },
      },
      failing: failures.length,
      failures: failures.slice(0, LISTED_FAILURES).map((failure) => ({ ...failure, at: new Date(failure.at).toISOString() })),
      ...(activity.lastRefresh ? { lastRefresh: { ...activity.lastRefresh, at: new Date(activity.lastRefresh.at).toISOString() } } : {}),
      ...(figures.nextStaleAt === undefined ? {} : { nextRefresh: new Date(figures.nextStaleAt).toISOString() }),
      ...(run ? { progress: progressOf(run, status.total - status.cached) } : {}),
      serving: servingPath(handler),
    };
  }
}

function progressOf(run: { startedAt: number; toCompute: number; done: number }, missing: number): NonNullable<HandlerObservations['progress']> {
  // Entries stored by live requests or other processes count as done too
  const done = Math.min(run.toCompute, Math.max(run.done, run.toCompute - missing));
  const elapsed = Date.now() - run.startedAt;
  const etaMs = done > 0 && done < run.toCompute ? Math.round(((run.toCompute - done) * elapsed) / done) : undefined;
  return {
    startedAt: new Date(run.startedAt).toISOString(),
    toCompute: run.toCompute,
    done,
    percent: run.toCompute === 0 ? 100 : Math.floor((done * 100) / run.toCompute),
    ...(etaMs === undefined ? {} : { etaMs }),
  };
}
