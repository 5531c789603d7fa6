import { Inject, Injectable, type Type } from '@nestjs/common';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { Computations } from '../engine/combination-runner';
import { errorMessage } from '../engine/error-message';
import { LiveResults, type LiveResult } from '../engine/live-results';
import { RefreshScheduler } from '../freshness/refresh.scheduler';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import type { CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { CachedResponses } from './cached-responses';

/**
 * Everything the request path needs from the module, behind one object: the
 * interceptor is created in each decorated controller's module, and reaches
 * the module's internals only through this (the module exports none of them).
 */
@Injectable()
export class PrecomputeServing {
  constructor(
    private readonly registry: PrecomputeRegistry,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    private readonly scheduler: RefreshScheduler,
    private readonly computations: Computations,
    private readonly live: LiveResults,
    /** Headers, ETag and 304 of a hit. */
    readonly responses: CachedResponses,
    /** Hits, live answers and their durations (counters, and OpenTelemetry when the app registered an SDK). */
    readonly metrics: PrecomputeMetrics,
  ) {}

  /** The `@Precomputed()` handler a request is routed to, if it is one. */
  handlerOf(controller: Type, handler: Function, request?: unknown): PrecomputedHandler | undefined {
    return this.registry.find(controller, handler, request);
  }

  /** What the store holds for `key`; a store that fails to answer is logged and counts as `failed`. */
  read(key: string): { readonly entry: CacheEntry | undefined } | 'failed' {
    try {
      return { entry: this.store.get(key) };
    } catch (error) {
      this.logger.error(`Reading ${key} from ${this.store.describe()} failed, answering live: ${errorMessage(error)}`);
      return 'failed';
    }
  }

  /**
   * For a store that holds only part of its entries in memory (RedisStore's
   * `localCache`): reads a key it does not hold, in one round trip. Undefined
   * when the store holds everything (its `get()` is the whole answer).
   */
  fetch(key: string): Promise<CacheEntry | undefined> | undefined {
    return this.store.fetch?.(key).catch((error: unknown) => {
      this.logger.error(`Reading ${key} from ${this.store.describe()} failed, answering live: ${errorMessage(error)}`);
      return undefined;
    });
  }

  /** A hit was served: a stale entry gets refreshed in the background. */
  noticeHit(handler: PrecomputedHandler, entry: CacheEntry): void {
    this.scheduler.noticeHit(handler, entry);
  }

  /** The computation of `key` under way (startup, refresh or another live request): its entry, or undefined if it failed. */
  inFlight(key: string): Promise<CacheEntry | undefined> | undefined {
    return this.computations.current(key)?.then((outcome) => ('entry' in outcome ? outcome.entry : undefined));
  }

  /**
   * Makes a live request's handler call the computation of `key` whose result
   * is stored; undefined when live results are not stored (`persistLiveResults:
   * false`, or `startup: 'off'`, whose processes never write the store).
   */
  beginLive(handler: PrecomputedHandler, key: string): ((result: LiveResult) => void) | undefined {
    if (this.options.startup === 'off' || !this.options.persistLiveResults) return undefined;
    return this.live.begin(handler, key);
  }
}
