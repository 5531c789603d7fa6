import { Inject, Injectable } from '@nestjs/common';
import { computeResponse } from '../invocation/response-serializer';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { entryOf, type CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { errorMessage } from './error-message';
import type { Combination } from './handler-plans';
import { HandlerStats } from './handler-stats';
import { retry, withTimeout } from './retry';
import { SingleFlight } from './single-flight';

/**
 * What computing one key came to: an entry (computed here, or by another
 * process when `elsewhere`), an error, or nothing done (`skipped`, e.g. a hand
 * edit kept or shutting down).
 */
export type Outcome =
  | { readonly entry: CacheEntry; readonly elsewhere?: true }
  | { readonly error: string }
  | { readonly skipped: string };

/** The computations under way in this process, one per key: startup, refreshes and live misses share it. */
@Injectable()
export class Computations extends SingleFlight<Outcome> {}

/**
 * Computes and stores one combination: invokes the handler through its pipes,
 * with a timeout per attempt and retries after a doubling delay, serializes the
 * result as the client receives it, and puts it into the store. Never rejects:
 * a failure is logged and becomes an error outcome.
 */
@Injectable()
export class CombinationRunner {
  private stopped = false;

  constructor(
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly stats: HandlerStats,
    private readonly metrics: PrecomputeMetrics,
  ) {}

  /** Shutting down: no retry starts any more (callers stop starting combinations, see `isStopped`). */
  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async compute(combination: Combination, options: { force?: boolean } = {}): Promise<Outcome> {
    const { handler, key } = combination;
    this.stats.started(handler);
    const startedAt = performance.now();
    const retries = handler.options.retries ?? this.options.retries;
    try {
      // Without retries (the default), no policy and closures are made per combination
      const entry =
        retries === 0
          ? await this.attempt(combination)
          : await retry(() => this.attempt(combination), {
              retries,
              delayMs: this.options.retryDelayMs,
              giveUp: () => this.stopped,
              onRetry: (error, number, delay) =>
                this.logger.warn(`${handler.name} failed for ${key} (${errorMessage(error)}); retry ${number}/${retries} in ${delay}ms`),
            });
      await this.store.put([entry], { force: options.force === true });
      this.stats.finished(handler, 'computed');
      this.metrics.computed(handler, key, entry.status, startedAt);
      return { entry };
    } catch (error) {
      this.stats.finished(handler, 'failed');
      this.metrics.failed(handler, key, error, startedAt);
      this.logger.error(`${handler.name} failed for ${key}: ${errorMessage(error)}`);
      return { error: errorMessage(error) };
    }
  }

  private async attempt({ handler, key, values }: Combination): Promise<CacheEntry> {
    // A 4xx HttpException is an answer too (cacheClientErrors), stored with its status
    const response = await withTimeout(
      computeResponse(handler, values, this.options.cacheClientErrors),
      handler.options.timeoutMs ?? this.options.timeoutMs,
    );
    return entryOf(key, response, handler.options.version);
  }
}
