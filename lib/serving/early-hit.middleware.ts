import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { CacheEntry } from '../storage/cache-entry';
import type { RawParams } from '../keys/cache-key';
import { RefreshScheduler } from '../freshness/refresh.scheduler';
import { PrecomputeMetrics } from '../observability/precompute-metrics';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import type { AdapterKind, EarlyReply } from './cached-replies';
import { CachedResponses } from './cached-responses';
import { isPromise } from './encoded-bodies';
import { carriesBody } from './express-early-mount';
import { encodingField, varyWith } from './vary-header';

/** A complete answer to a request, decided before Nest's router. */
interface EarlyAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<[string, string]>;
  /** Undefined for a 304; sent for a HEAD too (Node drops it, and Fastify takes Content-Length from it). */
  readonly body?: Buffer | string;
  /** Accept-Encoding is added to the response's Vary. */
  readonly varies?: boolean;
}

/** The part of a Fastify reply the early path uses. */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  getHeader(name: string): unknown;
  send(body?: Buffer | string): FastifyReplyLike;
}

/**
 * The early path: answers cache hits before Nest's router, guards and
 * interceptors run (Express: as middleware; Fastify: as the last preHandler of each GET route).
 * Only for handlers that have none of those to apply (no guards, no
 * interceptors but serializers, no host, no custom versioning), and only at a
 * URL (and version) that Nest routes to that handler and to no other route
 * (see EarlyRouteMatcher): the answer is the one the interceptor would send,
 * with `@HttpCode()`, `@Header()`, ETag and Cache-Control. Everything else,
 * misses and unknown URLs included, goes on to Nest as usual.
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
    // Mounted before the body parsers: a request with a body goes through them and Nest, as without this path
    if (carriesBody(request.headers)) return next();
    const answer = this.answer('express', request.method, request.originalUrl ?? request.url, request.headers);
    if (!answer) return next();
    const send = (ready: EarlyAnswer) => {
      for (const [name, value] of ready.headers) response.setHeader(name, value);
      if (ready.varies) response.setHeader('Vary', varyWith(response.getHeader('vary'), encodingField('express')));
      response.statusCode = ready.status;
      response.end(ready.body);
    };
    if (!isPromise(answer)) return send(answer);
    // The first hit of a compressed representation waits for it; if making it fails, Nest answers
    answer.then((ready) => (ready ? send(ready) : next()), () => next());
  }

  /** Fastify: the route's last preHandler (fastify-early-hook.ts); answers with the reply, or lets the request go on to Nest's handler. */
  preHandler(
    request: { raw: IncomingMessage; query?: unknown; routeOptions?: { url?: string } },
    reply: FastifyReplyLike,
    done: () => void,
  ): void {
    // Fastify has routed the request already: it must have reached the very route the matcher picked
    const routed = request.routeOptions?.url;
    if (routed === undefined) return done();
    // Fastify has parsed the query already (lazily, with its own parser)
    const answer = this.answer('fastify', request.raw.method, request.raw.url, request.raw.headers, request.query as RawParams | undefined, routed);
    if (!answer) return done();
    const send = (ready: EarlyAnswer) => {
      for (const [name, value] of ready.headers) reply.header(name, value);
      if (ready.varies) reply.header('vary', varyWith(reply.getHeader('vary'), encodingField('fastify')));
      reply.code(ready.status);
      reply.send(ready.body);
    };
    if (!isPromise(answer)) return void send(answer);
    answer.then((ready) => (ready ? send(ready) : done()), () => done());
  }

  private answer(
    adapter: AdapterKind,
    method: string | undefined,
    url = '/',
    requestHeaders: IncomingHttpHeaders,
    parsedQuery?: RawParams,
    routedPath?: string,
  ): EarlyAnswer | Promise<EarlyAnswer | undefined> | undefined {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const queryStart = url.indexOf('?');
    const match = this.registry.matchEarly(queryStart < 0 ? url : url.slice(0, queryStart), requestHeaders);
    const handler = match?.target;
    // Every GET of the app comes through here (on Fastify, each route's last preHandler): the others leave at once
    if (!match || !handler?.early) return undefined;
    const startedAt = this.metrics.now();
    if (routedPath !== undefined && routedPath !== handler.route.template.path) return undefined;
    const query = parsedQuery ?? (queryStart < 0 ? {} : parse(url.slice(queryStart + 1)));
    const key = handler.keys.keyOfRequest(query, match.params);
    const entry = key === undefined ? undefined : this.store.get(key);
    if (!entry) return undefined;
    const answer = this.responses.early(
      handler,
      entry,
      handler.early,
      { ifNoneMatch: requestHeaders['if-none-match'], acceptEncoding: requestHeaders['accept-encoding'] },
      adapter,
    );
    if (!answer) return undefined;
    this.scheduler.noticeHit(handler, entry);
    const counted = (sent: EarlyReply | undefined): EarlyReply | undefined => {
      if (sent) this.metrics.hit(handler, 'early', sent.status, startedAt);
      return sent;
    };
    // An encoding made on first use arrives later (made on the thread pool)
    return isPromise(answer) ? answer.then(counted) : counted(answer);
  }
}
