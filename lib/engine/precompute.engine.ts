import { Inject, Injectable } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { RawValue } from '../domains/domain-values';
import type { HandlerCounts, PrecomputeSummary } from '../interfaces/precompute-status.interface';
import { invokeHandler } from '../invocation/handler-invoker';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { toResponseJson, type ResponseJson } from '../invocation/response-serializer';
import { combinations } from '../plan/combinations';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { createEntry, isEdited, type CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { formatDuration, ProgressReporter } from './progress-reporter';

/** One combination to compute. */
export interface Job {
  readonly handler: PrecomputedHandler;
  readonly key: string;
  readonly values: readonly RawValue[];
}

type Outcome = { entry?: CacheEntry; error?: string };
type MutableSummary = { -readonly [K in keyof PrecomputeSummary]: PrecomputeSummary[K] } & {
  failures: Array<{ key: string; error: string }>;
};

function emptySummary(): MutableSummary {
  return { cached: 0, computed: 0, failed: 0, skipped: 0, durationMs: 0, failures: [] };
}

interface Counters {
  computed: number;
  failed: number;
  inProgress: number;
}

/**
 * Executes plans: computes combinations at a bounded concurrency, never the
 * same key twice at once (single flight, shared with live requests), with
 * retries, timeouts, progress lines and a summary. Every result is stored the
 * moment it completes.
 */
@Injectable()
export class PrecomputeEngine {
  private readonly flights = new Map<string, Promise<CacheEntry | undefined>>();
  private readonly counters = new Map<PrecomputedHandler, Counters>();
  private readonly plans = new WeakMap<PrecomputedHandler, Job[]>();
  private readonly jobsByKey = new WeakMap<PrecomputedHandler, Map<string, Job>>();
  private readonly refreshLimit: LimitFunction;
  private readonly queuedRefreshes = new Map<string, Promise<Outcome>>();
  private aborted = false;
  private lastYield = Date.now();

  constructor(
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly metrics: PrecomputeMetrics,
  ) {
    this.refreshLimit = pLimit(options.concurrency);
  }

  /**
   * The startup run: computes the selected combinations of each handler (by
   * default the missing ones), one handler after another, at each handler's
   * concurrency, with progress lines and a summary.
   */
  async run(handlers: readonly PrecomputedHandler[], select = (handler: PrecomputedHandler) => this.missing(handler)): Promise<PrecomputeSummary> {
    const startedAt = Date.now();
    const summary = emptySummary();
    for (const handler of handlers) {
      const jobs = select(handler);
      const cached = handler.total - jobs.length;
      summary.cached += cached;
      if (jobs.length === 0) {
        this.logger.log(`All ${handler.total} combination${handler.total === 1 ? '' : 's'} of ${handler.name} already cached`);
        continue;
      }
      const concurrency = Math.min(handler.options.concurrency ?? this.options.concurrency, jobs.length);
      this.logger.log(
        `${handler.name}: ${handler.total} combination${handler.total === 1 ? '' : 's'}, ${cached} cached, ` +
          `${jobs.length} to compute (concurrency ${concurrency})`,
      );
      const handlerStart = Date.now();
      const progress = new ProgressReporter(
        this.options.progress ? this.logger : undefined,
        handler.name,
        jobs.length,
        this.options.progressIntervalMs,
      );
      const before = { ...summary };
      // What each key held when selected: one that changed meanwhile is done already
      const selected = new Map(jobs.map((job) => [job.key, this.store.get(job.key)]));
      const limit = pLimit(concurrency);
      this.metrics.runStarted(handler, jobs.length);
      let deferred = await this.execute(jobs, limit, summary, selected, () => progress.tick());
      if (deferred.length) this.logger.log(`${handler.name}: waiting for ${deferred.length} combination(s) other replicas are computing`);
      while (deferred.length && !this.aborted) {
        // Their results arrive through the store's change notifications; a lapsed lease (a dead replica) is claimed here
        await new Promise((resolve) => setTimeout(resolve, 200));
        deferred = await this.execute(deferred, limit, summary, selected, () => progress.tick());
      }
      this.metrics.runFinished(handler);
      this.logger.log(
        `${handler.name}: computed ${summary.computed - before.computed}, failed ${summary.failed - before.failed}` +
          `${summary.skipped > before.skipped ? `, skipped ${summary.skipped - before.skipped} (shutting down)` : ''}` +
          ` in ${formatDuration(Date.now() - handlerStart)}`,
      );
    }
    summary.durationMs = Date.now() - startedAt;
    return summary;
  }

  /**
   * Recomputes combinations that are cached already (a scheduled, on-demand or
   * version refresh), at the module's concurrency across all refreshes. A value
   * a person edited is kept unless `force` is set; a failure keeps the old value.
   */
  async refresh(jobs: readonly Job[], options: { force?: boolean; reason: string }): Promise<PrecomputeSummary> {
    const startedAt = Date.now();
    const summary = emptySummary();
    const toCompute: Job[] = [];
    for (const job of jobs) {
      const current = this.store.get(job.key);
      if (current && !options.force && isEdited(current)) {
        this.logger.log(`Kept the hand-edited entry ${job.key} (${options.reason} refresh); refresh with { force: true } to replace it`);
        summary.skipped++;
      } else {
        toCompute.push(job);
      }
    }
    // A key already queued or under way in another refresh is joined, not queued again
    const outcomes = await Promise.all(
      toCompute.map((job) => {
        let outcome = this.queuedRefreshes.get(job.key);
        if (!outcome) {
          outcome = this.refreshLimit(() => (this.aborted ? { error: 'skipped: shutting down' } : this.settle(job, options.force === true)));
          this.queuedRefreshes.set(job.key, outcome);
          void outcome.finally(() => this.queuedRefreshes.delete(job.key));
        }
        return outcome.then((result) => ({ job, result }));
      }),
    );
    for (const { job, result } of outcomes) {
      if (result.error === undefined) summary.computed++;
      else {
        summary.failed++;
        summary.failures.push({ key: job.key, error: result.error });
      }
    }
    summary.durationMs = Date.now() - startedAt;
    this.metrics.refreshed(options.reason, outcomes.map(({ job, result }) => ({ handler: job.handler, failed: result.error !== undefined })), summary.durationMs);
    if (toCompute.length > 0) {
      this.logger.log(
        `Refreshed ${toCompute.length} combination${toCompute.length === 1 ? '' : 's'} (${options.reason}): ` +
          `computed ${summary.computed}, failed ${summary.failed} in ${formatDuration(summary.durationMs)}`,
      );
    }
    return summary;
  }

  private async execute(
    jobs: readonly Job[],
    limit: LimitFunction,
    summary: MutableSummary,
    selected: ReadonlyMap<string, CacheEntry | undefined>,
    onDone: () => void,
  ): Promise<Job[]> {
    const deferred: Job[] = [];
    await Promise.all(
      jobs.map((job) =>
        limit(async () => {
          if (this.aborted) {
            summary.skipped++;
            return;
          }
          await this.yieldToEventLoop();
          // Stored meanwhile, by a live request (background mode) or another process
          if (this.store.get(job.key) !== selected.get(job.key)) {
            summary.cached++;
            onDone();
            return;
          }
          // A shared store splits the work: another replica may be computing this one
          const claim = this.store.claim ? await this.store.claim(job.key) : undefined;
          if (this.store.claim && !claim) {
            deferred.push(job);
            return;
          }
          let outcome: Outcome;
          try {
            outcome = await this.settle(job);
          } finally {
            await claim?.release();
          }
          if (outcome.error === undefined) summary.computed++;
          else {
            summary.failed++;
            summary.failures.push({ key: job.key, error: outcome.error });
          }
          onDone();
        }),
      ),
    );
    return deferred;
  }

  /** Every combination of a handler, with its key (built once per handler). */
  plan(handler: PrecomputedHandler): readonly Job[] {
    let jobs = this.plans.get(handler);
    if (!jobs) {
      jobs = [];
      for (const values of combinations(handler.keys.params)) {
        jobs.push({ handler, key: handler.keys.keyOf(values), values });
      }
      this.plans.set(handler, jobs);
    }
    return jobs;
  }

  /** The job of one key of a handler, if the key is one of its combinations. */
  jobOf(handler: PrecomputedHandler, key: string): Job | undefined {
    let byKey = this.jobsByKey.get(handler);
    if (!byKey) {
      byKey = new Map(this.plan(handler).map((job) => [job.key, job]));
      this.jobsByKey.set(handler, byKey);
    }
    return byKey.get(key);
  }

  /** The combinations of a handler that the store does not hold. */
  missing(handler: PrecomputedHandler): Job[] {
    return this.plan(handler).filter((job) => !this.store.get(job.key));
  }

  /** The computation under way for a key, if any. */
  inFlight(key: string): Promise<CacheEntry | undefined> | undefined {
    return this.flights.get(key);
  }

  /**
   * Lets a live request's own handler call stand as the computation of `key`:
   * others asking for it meanwhile wait for this one instead of calling the
   * handler again. Call the returned function with the handler's result, or
   * with an error.
   */
  shareLive(handler: PrecomputedHandler, key: string): (result: { value: unknown } | { error: unknown }) => void {
    let settle!: (result: { value: unknown } | { error: unknown }) => void;
    const flight = new Promise<CacheEntry | undefined>((resolve) => {
      settle = (result) => {
        if ('error' in result) return resolve(undefined);
        toResponseJson(handler, result.value).then(
          (json) => {
            const existing = this.store.get(key);
            if (existing) return resolve(existing);
            const entry = createEntry(key, json.value, handler.options.version, Date.now(), json.text);
            // In memory at once: the requests waiting for it need not wait for the disk (or another process's lock)
            this.store.put([entry]).catch((error: unknown) => {
              this.logger.error(`${handler.name}: could not store the live result of ${key}: ${describeError(error)}`);
            });
            resolve(entry);
          },
          (error: unknown) => {
            this.logger.error(`${handler.name}: could not serialize the live result of ${key}: ${describeError(error)}`);
            resolve(undefined);
          },
        );
      };
    }).finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return settle;
  }

  /**
   * Instant handlers would otherwise run the whole plan in microtasks, starving
   * timers (the file lock's refresh) and, in background mode, live requests.
   */
  private async yieldToEventLoop(): Promise<void> {
    if (Date.now() - this.lastYield < 20) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.lastYield = Date.now();
  }

  /** Stops starting new combinations; those under way finish and are stored. */
  abort(): void {
    this.aborted = true;
  }

  status(handlers: readonly PrecomputedHandler[]): HandlerCounts[] {
    return handlers.map((handler) => {
      const counters = this.countersOf(handler);
      return {
        handler: handler.name,
        route: `GET ${handler.keys.route.path}`,
        total: handler.total,
        cached: handler.total - this.missing(handler).length,
        computed: counters.computed,
        failed: counters.failed,
        inProgress: counters.inProgress,
      };
    });
  }

  private settle(job: Job, force = false): Promise<Outcome> {
    const existing = this.flights.get(job.key);
    if (existing) return existing.then((entry) => (entry ? { entry } : { error: 'failed in a concurrent computation' }));
    const counters = this.countersOf(job.handler);
    counters.inProgress++;
    const startedAt = performance.now();
    const attempt = this.attempt(job, force).then(
      (entry): Outcome => {
        counters.computed++;
        this.metrics.computed(job.handler, job.key, startedAt);
        return { entry };
      },
      (error: unknown): Outcome => {
        counters.failed++;
        this.metrics.failed(job.handler, job.key, error, startedAt);
        this.logger.error(`${job.handler.name} failed for ${job.key}: ${describeError(error)}`);
        return { error: describeError(error) };
      },
    );
    const flight = attempt.then((outcome) => outcome.entry);
    this.flights.set(job.key, flight);
    return attempt.finally(() => {
      counters.inProgress--;
      this.flights.delete(job.key);
    });
  }

  private async attempt(job: Job, force: boolean): Promise<CacheEntry> {
    const { handler } = job;
    const retries = handler.options.retries ?? this.options.retries;
    const timeoutMs = handler.options.timeoutMs ?? this.options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await withTimeout(invokeHandler(handler, job.values), timeoutMs);
        return await this.storeEntry(handler, job.key, await toResponseJson(handler, result), force);
      } catch (error) {
        if (attempt >= retries || this.aborted) throw error;
        const delay = this.options.retryDelayMs * 2 ** attempt;
        this.logger.warn(`${handler.name} failed for ${job.key} (${describeError(error)}); retry ${attempt + 1}/${retries} in ${delay}ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async storeEntry(handler: PrecomputedHandler, key: string, json: ResponseJson, force = false): Promise<CacheEntry> {
    const entry = createEntry(key, json.value, handler.options.version, Date.now(), json.text);
    await this.store.put([entry], { force });
    return entry;
  }

  private countersOf(handler: PrecomputedHandler): Counters {
    let counters = this.counters.get(handler);
    if (!counters) {
      counters = { computed: 0, failed: 0, inProgress: 0 };
      this.counters.set(handler, counters);
    }
    return counters;
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (!timeoutMs) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const response = (error as { getResponse?: () => unknown }).getResponse?.();
    const detail = typeof response === 'object' && response !== null ? ` ${JSON.stringify(response)}` : '';
    return `${error.name}: ${error.message}${detail}`;
  }
  return String(error);
}
