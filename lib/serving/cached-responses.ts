import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { FreshnessPolicy } from '../freshness/freshness-policy';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { hashText, type CacheEntry } from '../storage/cache-entry';
import { earlyReply, TEXT_KINDS, type AdapterKind, type EarlyReply } from './cached-replies';
import { resolveCompress } from './compress-settings';
import { negotiateEncoding, type Coding, type Encoding } from './content-encoding';
import { EncodedBodies, isPromise, representationEtag } from './encoded-bodies';

/** The validators of a hit, made once per entry (the body itself is the entry's, never copied). */
export interface PreparedResponse {
  /** Strong validator of the identity body: equal across processes and restarts. */
  readonly etag: string;
  readonly lastModified?: string;
  /** The encodings the body is also sent in (none: identity only, and no Vary). */
  readonly encodings: readonly Encoding[];
}

/** The headers of one hit and how to answer it. */
export interface HitResponse {
  readonly prepared: PreparedResponse;
  /** ETag (of the representation), Last-Modified, Cache-Control: for a 200 and a 304 alike. */
  readonly headers: ReadonlyArray<[string, string]>;
  /** The body has other encodings: Accept-Encoding is added to the response's Vary (see varyWith), on a 200 and a 304. */
  readonly varies: boolean;
  /** `headers` are the same array on every hit of this entry and representation (no Cache-Control made from the time). */
  readonly fixed: boolean;
  readonly notModified: boolean;
  /** The representation the client gets; anything but identity adds `Content-Encoding` to a 200. */
  readonly coding: Coding;
}

/** The request headers a hit depends on. */
export interface HitRequest {
  readonly ifNoneMatch: string | string[] | undefined;
  readonly acceptEncoding: string | string[] | undefined;
}

/**
 * The response headers of a cache hit (ETag, Last-Modified, Cache-Control) and
 * whether the client's copy is current (304), for the interceptor and the
 * early-hit middleware alike.
 */
@Injectable()
export class CachedResponses {
  private readonly prepared = new WeakMap<CacheEntry, PreparedResponse>();
  /** Headers of an entry per representation, when they do not depend on the time (no TTL-derived Cache-Control). */
  private readonly fixedHeaders = new WeakMap<CacheEntry, Map<Coding, Array<[string, string]>>>();
  /** Compressed bodies (`compress`), or undefined when it is off. */
  private readonly bodies: EncodedBodies | undefined;
  /** Early replies made from fixed headers (one array per entry and representation): made on the first hit, not on every one. */
  private readonly earlyReplies = new WeakMap<ReadonlyArray<[string, string]>, { ok?: EarlyReply; notModified?: EarlyReply }>();

  constructor(
    private readonly policy: FreshnessPolicy,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {
    const settings = resolveCompress(options.compress);
    this.bodies = settings && new EncodedBodies(settings);
  }

  hitResponse(handler: PrecomputedHandler, entry: CacheEntry, request: HitRequest): HitResponse {
    const prepared = this.prepare(handler, entry);
    const coding = negotiateEncoding(request.acceptEncoding, prepared.encodings);
    let byCoding = this.fixedHeaders.get(entry);
    let headers = byCoding?.get(coding);
    const fixed = (handler.options.cacheControl ?? this.options.cacheControl) !== true;
    if (!headers) {
      headers = [['ETag', representationEtag(prepared.etag, coding)]];
      if (prepared.lastModified) headers.push(['Last-Modified', prepared.lastModified]);
      const cacheControl = this.cacheControl(handler, entry);
      if (cacheControl) headers.push(['Cache-Control', cacheControl]);
      if (fixed) {
        if (!byCoding) this.fixedHeaders.set(entry, (byCoding = new Map()));
        byCoding.set(coding, headers);
      }
    }
    // RFC 9110 13.2.1: preconditions are ignored when the answer would not be a 2xx (a stored 4xx answer)
    const notModified = entry.status === undefined && matches(request.ifNoneMatch, representationEtag(prepared.etag, coding));
    return { prepared, headers, notModified, coding, varies: prepared.encodings.length > 0, fixed };
  }

  /** The body of a hit in `encoding`: at once once it is made, else made now (once per entry and encoding). */
  encoded(entry: CacheEntry, encoding: Encoding): Buffer | Promise<Buffer> {
    const bodies = this.bodies as EncodedBodies;
    return bodies.peek(entry, encoding) ?? bodies.encode(entry, entry.body, encoding);
  }

  /**
   * The whole answer to a hit on the early path (`method` GET or HEAD), as the
   * adapter sends the live value, or undefined for a shape it leaves to Nest;
   * a promise the first time a compressed representation is asked for.
   */
  early(
    handler: PrecomputedHandler,
    entry: CacheEntry,
    route: { readonly status: number; readonly headers: ReadonlyArray<[string, string]> },
    request: HitRequest,
    adapter: AdapterKind,
  ): EarlyReply | Promise<EarlyReply | undefined> | undefined {
    const { headers, notModified, coding, varies, fixed } = this.hitResponse(handler, entry, request);
    // The same answer on every hit: kept with its headers (a route's status and headers and the adapter do not change)
    let memo = fixed ? this.earlyReplies.get(headers) : undefined;
    if (fixed && !memo) this.earlyReplies.set(headers, (memo = {}));
    if (notModified) return (memo?.notModified ?? remember(memo, 'notModified', { status: 304, headers: [...route.headers, ...headers], varies })) as EarlyReply;
    if (memo?.ok) return memo.ok;
    const reply = (encoded?: Buffer): EarlyReply | undefined => {
      const base = earlyReply(entry, adapter, route.status, route.headers, encoded);
      if (!base) return undefined;
      const all = [...base.headers, ...headers];
      if (encoded) all.push(['Content-Encoding', coding]);
      return remember(memo, 'ok', { ...base, headers: all, varies });
    };
    if (coding === 'identity') return reply();
    const encoded = this.encoded(entry, coding);
    return isPromise(encoded) ? encoded.then(reply) : reply(encoded);
  }

  private cacheControl(handler: PrecomputedHandler, entry: CacheEntry): string | undefined {
    const setting = handler.options.cacheControl ?? this.options.cacheControl;
    if (setting !== true) return setting;
    const ttl = this.policy.ttlMs(handler);
    if (ttl === undefined) return 'public, no-cache';
    const left = Math.max(0, Math.floor((entry.computedAt + ttl - Date.now()) / 1000));
    return `public, max-age=${left}, stale-while-revalidate=${Math.ceil(ttl / 1000)}`;
  }

  private prepare(handler: PrecomputedHandler, entry: CacheEntry): PreparedResponse {
    let prepared = this.prepared.get(entry);
    if (!prepared) {
      // Only text bodies sent as they are stored: not through another interceptor (which gets a value, not
      // bytes), not a stored 4xx (Nest's exception layer sends it), not a Buffer or file (often compressed
      // already, and typed by the app, so compressing is the app's call: compression() still applies to them)
      const compressible = this.bodies !== undefined && handler.sendsPrebuiltBody && entry.status === undefined && TEXT_KINDS.has(entry.kind);
      const bodyHash = hashText(entry.body);
      // A body a person edited was not made at computedAt: no Last-Modified rather than a wrong one (its ETag tells the change)
      const computed = entry.computedAt > 0 && bodyHash === entry.hash;
      prepared = {
        etag: `"${bodyHash.slice('sha256-'.length)}"`,
        ...(computed ? { lastModified: new Date(entry.computedAt).toUTCString() } : {}),
        encodings: compressible ? (this.bodies as EncodedBodies).available(Buffer.byteLength(entry.body)) : [],
      };
      this.prepared.set(entry, prepared);
    }
    return prepared;
  }
}

function matches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  return value.trim() === '*' || value.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Keeps `reply` in `memo` (when there is one) and returns it. */
function remember<K extends 'ok' | 'notModified'>(memo: { ok?: EarlyReply; notModified?: EarlyReply } | undefined, kind: K, reply: EarlyReply): EarlyReply {
  if (memo) memo[kind] = reply;
  return reply;
}
