import {
  Inject,
  Injectable,
  Optional,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { from, mergeMap, of, tap, type Observable } from 'rxjs';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { PrecomputeEngine } from '../engine/precompute.engine';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { RefreshScheduler } from '../freshness/refresh.scheduler';
import { PrecomputeLogger } from '../precompute.logger';
import { messages } from '../precompute.messages';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import type { CacheEntry } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { CachedResponses } from './cached-responses';

interface HttpRequestLike {
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

interface HttpResponseLike {
  getHeader(name: string): unknown;
}

/**
 * Serves `@Precomputed()` handlers from the store. Runs after guards and
 * before pipes, so it sees the raw query: a request that maps to exactly one
 * combination the store holds is answered without calling the handler;
 * anything else goes on through Nest's pipeline (validation, the live handler).
 */
@Injectable()
export class PrecomputeInterceptor implements NestInterceptor {

  constructor(
    // Optional, so that a missing PrecomputeModule gets a message of its own rather than a DI error
    @Optional() private readonly registry: PrecomputeRegistry,
    @Optional() private readonly engine: PrecomputeEngine,
    @Optional() private readonly scheduler: RefreshScheduler,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() private readonly responses: CachedResponses,
    @Optional() @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Optional() @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    @Optional() private readonly logger: PrecomputeLogger,
    @Optional() private readonly metrics: PrecomputeMetrics,
  ) {
    if (!registry || !store || !options) throw new Error(messages.moduleNotImported());
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const startedAt = this.metrics.now();
    const handler =
      context.getType() === 'http' ? this.registry.find(context.getClass<Type>(), context.getHandler()) : undefined;
    if (!handler) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const key = this.keyOf(handler, request);
    if (key === undefined) return next.handle();
    let entry: CacheEntry | undefined;
    try {
      entry = this.store.get(key);
    } catch (error) {
      this.logger.error(`Reading ${key} from ${this.store.describe()} failed, answering live: ${(error as Error).message}`);
      return next.handle();
    }
    if (entry) {
      this.scheduler.noticeHit(handler, entry);
      return this.serve(entry, handler, request, http.getResponse(), startedAt);
    }
    return this.miss(handler, key, request, http.getResponse(), next);
  }

  /**
   * The cache key of a request, or undefined when it is not exactly one
   * combination of the handler's domain. Override to change how requests map to keys.
   */
  protected keyOf(handler: PrecomputedHandler, request: HttpRequestLike): string | undefined {
    return handler.keys.keyOfRequest(request.query, request.params);
  }

  private serve(entry: CacheEntry, handler: PrecomputedHandler, request: HttpRequestLike, response: HttpResponseLike, startedAt?: number): Observable<unknown> {
    const { prepared, headers, notModified } = this.responses.describe(handler, entry, request.headers['if-none-match']);
    if (startedAt !== undefined) this.metrics.hit(handler, 'interceptor', notModified, startedAt);
    const adapter = this.adapterHost.httpAdapter;
    for (const [name, value] of headers) adapter.setHeader(response, name, value);
    if (notModified) {
      adapter.status(response, 304);
      return of(undefined);
    }
    const { value } = entry;
    if (typeof value !== 'object' || value === null) return of(value);
    if (!handler.sendsPrebuiltBody) {
      // Other interceptors wrap this route: hand them a fresh copy of the value, as the handler would
      return of(JSON.parse(prepared.body));
    }
    if (response.getHeader('content-type') === undefined) {
      adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    }
    return of(prepared.body);
  }

  /** A request in the domain that the store does not hold: run it live, and keep the result. */
  private miss(
    handler: PrecomputedHandler,
    key: string,
    request: HttpRequestLike,
    response: HttpResponseLike,
    next: CallHandler,
  ): Observable<unknown> {
    this.metrics.liveAnswer(handler);
    const flight = this.engine.inFlight(key);
    if (flight) {
      return from(flight).pipe(mergeMap((entry) => (entry ? this.serve(entry, handler, request, response) : next.handle())));
    }
    if (this.options.startup === 'off' || !this.options.persistLiveResults) return next.handle();
    const settle = this.engine.shareLive(handler, key);
    let last: unknown;
    let settled = false;
    const done = (result: { value: unknown } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      settle(result);
    };
    return next.handle().pipe(
      tap({
        next: (value) => (last = value),
        complete: () => done({ value: last }),
        error: (error: unknown) => done({ error }),
        finalize: () => done({ error: new Error('the request was cancelled') }),
      }),
    );
  }
}
