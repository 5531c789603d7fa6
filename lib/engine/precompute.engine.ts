import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { PrecomputeSummary } from '../interfaces/precompute-status.interface';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import type { CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { DEFERRED_RETRY_MS, underClaim } from './claimed';
import { CombinationRunner, Computations } from './combination-runner';
import { errorMessage } from './error-message';
import { EventLoopTurns } from './event-loop-turns';
import { HandlerPlans, type Combination } from './handler-plans';
import { formatDuration, ProgressReporter } from './progress-reporter';
import { RunSummary } from './run-summary';

/**
 * The startup run: computes the selected combinations of each handler (by
 * default the missing ones), one handler after another, at the handler's
 * concurrency, with progress lines and a summary. Each combination goes
 * through the store's claim protocol, so processes sharing a store split the
 * work; keys another process holds are asked for again until done. Ends with
 * `flush()`.
 */
@Injectable()
export class PrecomputeEngine {
  private readonly turns = new EventLoopTurns();

  constructor(
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly plans: HandlerPlans,
    private readonly runner: CombinationRunner,
    private readonly computations: Computations,
    private readonly metrics: PrecomputeMetrics,
  ) {}

  async run(handlers: readonly PrecomputedHandler[], select = (handler: PrecomputedHandler) => this.plans.missing(handler)): Promise<PrecomputeSummary> {
    const summary = new RunSummary();
    try {
      for (const handler of handlers) await this.runHandler(handler, select(handler), summary);
    } finally {
      await this.store.flush().catch((error: unknown) => this.logger.error(`Could not flush ${this.store.describe()} after the run: ${errorMessage(error)}`));
    }
    return summary.done();
  }

  private async runHandler(handler: PrecomputedHandler, combinations: readonly Combination[], summary: RunSummary): Promise<void> {
    // Its data domains failed (logged by discovery): a failure of the run, so `build` exits 1 and failOnError applies
    if (handler.plan.failure !== undefined) summary.add(handler.name, { error: handler.plan.failure });
    const cached = handler.total - combinations.length;
    summary.cached += cached;
    if (combinations.length === 0) {
      this.logger.log(
        handler.total === 1 ? `The one combination of ${handler.name} is already cached` : `All ${handler.total} combinations of ${handler.name} already cached`,
      );
      return;
    }
    const concurrency = Math.min(handler.options.concurrency ?? this.options.concurrency, combinations.length);
    // A store holding part of its entries in memory (RedisStore's localCache) reads each of the others before computing it
    const partial = this.store.fetch !== undefined;
    this.logger.log(
      `${handler.name}: ${handler.total} combination${handler.total === 1 ? '' : 's'}, ${cached} ${partial ? 'held in memory' : 'cached'}, ` +
        `${combinations.length} ${partial ? `to read from ${this.store.describe()}, computed only where missing` : 'to compute'} (concurrency ${concurrency})`,
    );
    const startedAt = Date.now();
    const before = summary.snapshot();
    const answeredBefore = { ...summary.answered };
    const progress = new ProgressReporter(this.options.progress ? this.logger : undefined, handler.name, combinations.length, this.options.progressIntervalMs);
    // What each key held when selected (absent: nothing): one that changed meanwhile is done already
    const selected = new Map<string, CacheEntry>();
    for (const { key } of combinations) {
      const entry = this.store.get(key);
      if (entry) selected.set(key, entry);
    }
    this.metrics.runStarted(handler, combinations.length);
    let pending: Combination[];
    try {
      pending = await this.pass(combinations, concurrency, selected, summary, () => progress.tick());
      if (pending.length) this.logger.log(`${handler.name}: waiting for ${pending.length} combination(s) other processes are computing`);
      while (pending.length && !this.runner.isStopped) {
        // Their results arrive through the store; a claim that lapsed (a dead process) is taken here
        await new Promise((resolve) => setTimeout(resolve, DEFERRED_RETRY_MS));
        pending = await this.pass(pending, concurrency, selected, summary, () => progress.tick());
      }
    } finally {
      this.metrics.runFinished(handler);
    }
    summary.skipped += pending.length;
    const delta = summary.since(before);
    this.logger.log(
      `${handler.name}: computed ${delta.computed}${summary.answeredSince(answeredBefore)}, failed ${delta.failed}` +
        `${delta.skipped > 0 ? `, skipped ${delta.skipped} (shutting down)` : ''} in ${formatDuration(Date.now() - startedAt)}`,
    );
  }

  /**
   * One pass over the combinations, `concurrency` at a time; resolves with
   * those another process holds. Workers take the next combination as they
   * finish one: no promise or closure is made ahead for each of a million.
   */
  private async pass(
    combinations: readonly Combination[],
    concurrency: number,
    selected: ReadonlyMap<string, CacheEntry>,
    summary: RunSummary,
    onDone: () => void,
  ): Promise<Combination[]> {
    const deferred: Combination[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < combinations.length) {
        const combination = combinations[next++];
        if (this.runner.isStopped) {
          summary.skipped++;
          continue;
        }
        // Instant handlers would otherwise run the whole plan in microtasks, starving timers (the file lock's refresh) and live requests
        if (this.turns.due()) await this.turns.take();
        const unchanged = () => this.store.get(combination.key) === selected.get(combination.key);
        // Stored meanwhile by a live request or another process
        if (!unchanged()) {
          summary.cached++;
          onDone();
          continue;
        }
        const running = this.computations.current(combination.key);
        const result = running
          ? { state: 'computed' as const, result: await running }
          : await underClaim(this.store, combination.key, unchanged, () => this.computations.run(combination.key, () => this.runner.compute(combination)));
        if (result.state === 'deferred') {
          deferred.push(combination);
          continue;
        }
        if (result.state === 'done elsewhere') summary.cached++;
        else summary.add(combination.key, result.result);
        onDone();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    return deferred;
  }
}

