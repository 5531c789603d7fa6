import { Inject, Injectable } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { readGuards, readHost } from '../discovery/nest-internals';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { PrecomputeEngine } from '../engine/precompute.engine';
import { RefreshScheduler } from '../freshness/refresh.scheduler';
import type { HandlerCounts, HandlerStatus } from '../interfaces/precompute-status.interface';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { entryFigures, type EntryFigures } from './entry-figures';
import type { HandlerObservations } from './handler-observations.interface';
import { PrecomputeMetrics } from './precompute-metrics';
import { servingPath } from './serving-path';

/** Failing combinations listed per handler (the count covers them all). */
const LISTED_FAILURES = 10;

/**
 * Adds to each handler's counts what the status page, the health indicator
 * and the gauges show: coverage, stale entries, bytes, answers, failures,
 * refreshes, run progress and the serving path.
 */
@Injectable()
export class PrecomputeStatusCollector {
  constructor(
    private readonly metrics: PrecomputeMetrics,
    private readonly engine: PrecomputeEngine,
    private readonly scheduler: RefreshScheduler,
    private readonly config: ApplicationConfig,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  /** `counts` holds one status per handler, in the same order. */
  describe(handlers: readonly PrecomputedHandler[], counts: readonly HandlerCounts[]): HandlerStatus[] {
    return counts.map((status, i) => ({ ...status, ...this.observe(handlers[i], status) }));
  }

  /** Entries held for a handler: count, stale, bytes, when the next one turns stale. */
  figures(handler: PrecomputedHandler): EntryFigures {
    return entryFigures(
      this.engine.plan(handler).map((job) => this.store.get(job.key)),
      this.scheduler.ttlMs(handler),
      (entry) => this.scheduler.isStale(handler, entry),
    );
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
      answers: { cached: activity.cached, early: activity.early, notModified: activity.notModified, live: activity.live, stale: activity.stale },
      failing: failures.length,
      failures: failures.slice(0, LISTED_FAILURES).map((failure) => ({ ...failure, at: new Date(failure.at).toISOString() })),
      ...(activity.lastRefresh ? { lastRefresh: { ...activity.lastRefresh, at: new Date(activity.lastRefresh.at).toISOString() } } : {}),
      ...(figures.nextStaleAt === undefined ? {} : { nextRefresh: new Date(figures.nextStaleAt).toISOString() }),
      ...(run ? { progress: progressOf(run, status.total - status.cached) } : {}),
      serving: servingPath({
        earlyHits: this.options.earlyHits,
        eligible: handler.early !== undefined,
        sendsPrebuiltBody: handler.sendsPrebuiltBody,
        guarded:
          this.config.getGlobalGuards().length + this.config.getGlobalRequestGuards().length + readGuards(handler.controller).length + readGuards(handler.handler).length > 0,
        hostBound: readHost(handler.controller) !== undefined,
        versioned: this.config.getVersioning() !== undefined,
      }),
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
