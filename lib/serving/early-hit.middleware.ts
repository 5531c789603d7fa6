import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import type { RawParams } from '../keys/cache-key';
import { RefreshScheduler } from '../freshness/refresh.scheduler';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { CachedResponses } from './cached-responses';

/** A complete answer to a request, decided before Nest's router. */
interface EarlyAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<[string, string]>;
  /** Undefined for a 304 or a HEAD request. */
  readonly body?: Buffer;
}

/** The part of a Fastify reply the early path uses. */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  getHeader(name: string): unknown;
  send(body?: Buffer): FastifyReplyLike;
}

/**
 * `earlyHits: true`: answers cache hits before Nest's router, guards and
 * interceptors run (Express: as middleware; Fastify: as an onRequest hook).
 * Only for handlers that have none of those to apply (no guards, no
 * interceptors but serializers, no host or versioning): the answer is the one
 * the interceptor would send, with `@HttpCode()`, `@Header()`, ETag and
 * Cache-Control. Everything else, misses included, goes on to Nest as usual.
 */
@Injectable()
export class EarlyHitMiddleware implements NestMiddleware {
  constructor(
    private readonly registry: PrecomputeRegistry,
    private readonly scheduler: RefreshScheduler,
    private readonly responses: CachedResponses,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    private readonly metrics: PrecomputeMetrics,
  ) {}

  /** Express (and any adapter with Node's request and response). */
  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    const answer = this.answer(request.method, request.originalUrl ?? request.url, request.headers);
    if (!answer) return next();
    for (const [name, value] of answer.headers) response.setHeader(name, value);
    response.statusCode = answer.status;
    if (answer.body && !response.hasHeader('content-type')) response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(answer.body);
  }

  /** Fastify's onRequest hook: answers with the reply, or lets the request go on. */
  onRequest(request: { raw: IncomingMessage; query?: unknown }, reply: FastifyReplyLike, done: () => void): void {
    // Fastify has parsed the query already (lazily, with its own parser)
    const answer = this.answer(request.raw.method, request.raw.url, request.raw.headers, request.query as RawParams | undefined);
    if (!answer) return done();
    for (const [name, value] of answer.headers) reply.header(name, value);
    reply.code(answer.status);
    if (answer.body && reply.getHeader('content-type') === undefined) reply.header('Content-Type', 'application/json; charset=utf-8');
    reply.send(answer.body);
  }

  private answer(method: string | undefined, url = '/', requestHeaders: IncomingHttpHeaders, parsedQuery?: RawParams): EarlyAnswer | undefined {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const startedAt = this.metrics.now();
    const queryStart = url.indexOf('?');
    const match = this.registry.matchEarly(queryStart < 0 ? url : url.slice(0, queryStart));
    const early = match?.handler.early;
    if (!match || !early) return undefined;
    const query = parsedQuery ?? (queryStart < 0 ? {} : parse(url.slice(queryStart + 1)));
    const key = match.handler.keys.keyOfRequest(query, match.params);
    const entry = key === undefined ? undefined : this.store.get(key);
    // Non-object values (strings, numbers) are sent by each adapter's own rules: leave them to Nest
    if (!entry || typeof entry.value !== 'object' || entry.value === null) return undefined;
    this.scheduler.noticeHit(match.handler, entry);
    const { prepared, headers, notModified } = this.responses.describe(match.handler, entry, requestHeaders['if-none-match']);
    this.metrics.hit(match.handler, 'early', notModified, startedAt);
    const all = [...early.headers, ...headers];
    if (notModified) return { status: 304, headers: all };
    return {
      status: early.status,
      headers: [...all, ['Content-Length', String(prepared.bodyBytes.length)]],
      ...(method === 'HEAD' ? {} : { body: prepared.bodyBytes }),
    };
  }
}
