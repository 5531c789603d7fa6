import {
  Injectable,
  StreamableFile,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { from, map, mergeMap, of, tap, throwError, type Observable } from 'rxjs';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { LiveResult } from '../engine/live-results';
import { messages } from '../precompute.messages';
import type { CacheEntry } from '../storage/cache-entry';
import { nestReplyValue, TEXT_KINDS, textType } from './cached-replies';
import type { Encoding } from './content-encoding';
import { isPromise } from './encoded-bodies';
import { PrecomputeServing } from './precompute-serving';
import { encodingField, varyWith } from './vary-header';

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
export class PrecomputeInterceptor implements NestInterceptor, OnModuleInit {
  private serving!: PrecomputeServing;

  constructor(
    // Nest creates this interceptor in each decorated controller's module; the module's internals are not exported
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.serving = this.findServing();
  }

  onModuleInit(): void {
    // The instance found while modules were still being instantiated may have been a placeholder
    this.serving = this.findServing();
  }

  private findServing(): PrecomputeServing {
    try {
      return this.moduleRef.get(PrecomputeServing, { strict: false });
    } catch {
      throw new Error(messages.moduleNotImported());
    }
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const startedAt = this.serving.metrics.now();
    const handler =
      context.getType() === 'http'
        ? this.serving.handlerOf(context.getClass<Type>(), context.getHandler(), context.switchToHttp().getRequest())
        : undefined;
    if (!handler) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const key = handler.keys.keyOfRequest(request.query, request.params);
    if (key === undefined) return next.handle();
    const read = this.serving.read(key);
    if (read === 'failed') return next.handle();
    if (read.entry) {
      this.serving.noticeHit(handler, read.entry);
      return this.serve(read.entry, handler, request, http.getResponse(), startedAt);
    }
    // A store holding part of its entries in memory (RedisStore's localCache) reads the rest on a miss
    const fetching = this.serving.fetch(key);
    if (fetching) {
      return from(fetching).pipe(
        mergeMap((fetched) => {
          if (!fetched) return this.miss(handler, key, request, http.getResponse(), next);
          this.serving.noticeHit(handler, fetched);
          return this.serve(fetched, handler, request, http.getResponse(), startedAt);
        }),
      );
    }
    return this.miss(handler, key, request, http.getResponse(), next);
  }

  /** `startedAt` (from `metrics.now()`) for a hit; undefined for the result of a computation a miss waited for (a live answer). */
  private serve(entry: CacheEntry, handler: PrecomputedHandler, request: HttpRequestLike, response: HttpResponseLike, startedAt?: number): Observable<unknown> {
    const { headers, notModified, coding, varies } = this.serving.responses.hitResponse(handler, entry, {
      ifNoneMatch: request.headers['if-none-match'],
      acceptEncoding: request.headers['accept-encoding'],
    });
    if (startedAt !== undefined) this.serving.metrics.hit(handler, 'interceptor', notModified ? 304 : entry.status, startedAt);
    const adapter = this.adapterHost.httpAdapter;
    for (const [name, value] of headers) adapter.setHeader(response, name, value);
    if (varies) {
      const field = encodingField(adapter.getType() === 'fastify' ? 'fastify' : 'express');
      adapter.setHeader(response, 'Vary', varyWith(response.getHeader('vary'), field));
    }
    if (notModified) {
      adapter.status(response, 304);
      return of(undefined);
    }
    if (coding !== 'identity') return this.serveBytes(entry, this.serving.responses.encoded(entry, coding), response, coding);
    // A large text body is held as its bytes (heldBody): sent as they are, never decoded to be encoded again
    if (handler.sendsPrebuiltBody && entry.status === undefined && typeof entry.body !== 'string' && TEXT_KINDS.has(entry.kind)) {
      return this.serveBytes(entry, entry.body, response);
    }
    try {
      return of(
        nestReplyValue(entry, handler.sendsPrebuiltBody, () => {
          if (response.getHeader('content-type') === undefined) adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
        }),
      );
    } catch (error) {
      // A stored 4xx answer: Nest's exception layer sends it, as it did live
      return throwError(() => error);
    }
  }

  /**
   * A text body as bytes (in a compressed representation `coding`, or its own
   * UTF-8 bytes), with the Content-Type the adapter gives the live value.
   * Express's adapter would send a Buffer as JSON, so it gets a StreamableFile
   * of the bytes; Fastify sends a Buffer as it is.
   */
  private serveBytes(entry: CacheEntry, bytes: Buffer | Promise<Buffer>, response: HttpResponseLike, coding?: Encoding): Observable<unknown> {
    const adapter = this.adapterHost.httpAdapter;
    const kind = adapter.getType() === 'fastify' ? 'fastify' : 'express';
    const custom = response.getHeader('content-type');
    const type = textType(entry.kind, kind, typeof custom === 'string' ? custom : undefined);
    adapter.setHeader(response, 'Content-Type', type);
    if (coding) adapter.setHeader(response, 'Content-Encoding', coding);
    const value = (body: Buffer) => (kind === 'express' ? new StreamableFile(body, { type, length: body.length }) : body);
    return isPromise(bytes) ? from(bytes).pipe(map(value)) : of(value(bytes));
  }

  /** A request in the domain that the store does not hold: run it live, and keep the result. */
  private miss(
    handler: PrecomputedHandler,
    key: string,
    request: HttpRequestLike,
    response: HttpResponseLike,
    next: CallHandler,
  ): Observable<unknown> {
    this.serving.metrics.liveAnswer(handler);
    const flight = this.serving.inFlight(key);
    if (flight) {
      return from(flight).pipe(mergeMap((entry) => (entry ? this.serve(entry, handler, request, response) : next.handle())));
    }
    const finish = this.serving.beginLive(handler, key);
    if (!finish) return next.handle();
    let last: unknown;
    let finished = false;
    const done = (result: LiveResult) => {
      if (finished) return;
      finished = true;
      finish(result);
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
