import { Inject, Injectable } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { DEFERRED_RETRY_MS, underClaim } from '../engine/claimed';
import { CombinationRunner, Computations, type Outcome } from '../engine/combination-runner';
import { errorMessage } from '../engine/error-message';
import { EventLoopTurns, selectInTurns } from '../engine/event-loop-turns';
import type { Combination } from '../engine/handler-plans';
import { formatDuration } from '../engine/progress-reporter';
import { RunSummary } from '../engine/run-summary';
import type { PrecomputeSummary } from '../interfaces/precompute-status.interface';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { isEdited } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { FreshnessPolicy } from './freshness-policy';

export interface RefreshRequest {
  /** For the log: `on demand`, `stale`, `new version`. */
  readonly reason: string;
  /** Replace values a person edited too. */
  readonly force?: boolean;
  /**
   * Only entries still stale once claimed: another process sharing the store
   * may have refreshed it meanwhile, so a fleet refreshes each stale entry once.
   */
  readonly onlyIfStale?: boolean;
  /**
   * Only entries computed before this time (ms since epoch): a scheduled run
   * passes the time it was due, so when processes sharing the store all fire,
   * the first to claim a key computes it and the others find it done.
   */
  readonly computedBefore?: number;
  /**
   * What becomes of the combinations a shutdown leaves unrefreshed, for the
   * log; by default the next start refreshes them (stale, outdated or missing
   * entries are, and a `refreshCron` run is made up). A refresh asked for on
   * demand is not remembered across a restart, so it says what is left instead.
   */
  readonly leftAtShutdown?: string;
}

/**
 * Recomputes combinations that are cached already (scheduled, stale, on-demand
 * or version refreshes) at the module's concurrency across all refreshes. A key
 * queued or under way is joined, not queued again; each goes through the
 * store's claim protocol. A value a person edited is kept unless `force` is
 * set; a failure keeps the old value.
 */
@Injectable()
export class RefreshQueue {
  private readonly limit: LimitFunction;
  private readonly turns = new EventLoopTurns();

  constructor(
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly runner: CombinationRunner,
    private readonly computations: Computations,
    private readonly policy: FreshnessPolicy,
    private readonly metrics: PrecomputeMetrics,
  ) {
    this.limit = pLimit(options.concurrency);
  }

  async refresh(combinations: readonly Combination[], request: RefreshRequest): Promise<PrecomputeSummary> {
    const summary = new RunSummary();
    // Telling hand edits apart hashes every body: 2 s for 200,000 entries of 1 KB, in turns of the event loop
    const queued = await selectInTurns(
      combinations,
      (combination) => {
        const current = this.store.get(combination.key);
        if (!current || request.force || !isEdited(current)) return true;
        this.logger.log(`Kept the hand-edited entry ${combination.key} (${request.reason} refresh); refresh with { force: true } to replace it`);
        summary.skipped++;
        return false;
      },
      this.turns,
    );
    const outcomes = await Promise.all(queued.map((combination) => this.enqueue(combination, request)));
    outcomes.forEach((outcome, index) => summary.add(queued[index].key, outcome));
    const done = summary.done();
    this.metrics.refreshed(request.reason, queued.map((combination, index) => ({ handler: combination.handler, outcome: outcomes[index] })), done.durationMs);
    if (queued.length > 0) {
      // A refresh the app's shutdown cut short says so, and what becomes of the rest
      const leftForShutdown = outcomes.filter((outcome) => 'skipped' in outcome && outcome.skipped === 'shutting down').length;
      this.logger.log(
        `Refreshed ${queued.length} combination${queued.length === 1 ? '' : 's'} (${request.reason}): ` +
          `computed ${done.computed}, failed ${done.failed} in ${formatDuration(done.durationMs)}` +
          (leftForShutdown ? `; ${leftForShutdown} ${request.leftAtShutdown ?? 'left for the next start'} (the app shut down)` : ''),
      );
    }
    await this.foldAfterLargeRun(done.computed);
    return done;
  }

  /**
   * After a run that recomputed at least half the entries (a version bump, a
   * refresh of everything), the store is flushed: the file then shows the
   * values served, and a person editing it edits those. After smaller runs the
   * journal is folded once it outgrows the file, which keeps the cost of
   * frequent small refreshes linear.
   */
  private async foldAfterLargeRun(computed: number): Promise<void> {
    if (computed === 0 || this.runner.isStopped) return;
    let entries = 0;
    for (const _ of this.store.entries()) if (++entries > computed * 2) return;
    await this.store.flush().catch((error: unknown) => this.logger.error(`Could not flush ${this.store.describe()} after a refresh: ${errorMessage(error)}`));
  }

  private enqueue(combination: Combination, request: RefreshRequest): Promise<Outcome> {
    const work = () => this.limit(() => this.refreshOne(combination, request));
    // A forced refresh must not take the result of an unforced one that kept a hand edit
    return request.force ? this.computations.runAfter(combination.key, work) : this.computations.run(combination.key, work);
  }

  private async refreshOne(combination: Combination, request: RefreshRequest): Promise<Outcome> {
    for (;;) {
      if (this.runner.isStopped) return { skipped: 'shutting down' };
      const result = await underClaim(
        this.store,
        combination.key,
        () => this.stillNeeded(combination, request),
        () => this.runner.compute(combination, { force: request.force }),
      );
      if (result.state === 'computed') return result.result;
      if (result.state === 'done elsewhere') {
        const entry = this.store.get(combination.key);
        return entry ? { entry, elsewhere: true } : { skipped: 'deleted meanwhile' };
      }
      // Another process is refreshing it: its result arrives through the store; ask again in a moment
      await new Promise((resolve) => setTimeout(resolve, DEFERRED_RETRY_MS));
    }
  }

  /** Re-checked once the key is claimed, on what the store holds now. */
  private stillNeeded({ handler, key }: Combination, request: RefreshRequest): boolean {
    const entry = this.store.get(key);
    if (entry && !request.force && isEdited(entry)) return false;
    if (entry && request.computedBefore !== undefined && entry.computedAt >= request.computedBefore) return false;
    if (request.onlyIfStale) return entry !== undefined && this.policy.isStale(handler, entry);
    return true;
  }
}
