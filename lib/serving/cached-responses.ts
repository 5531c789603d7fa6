import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { FreshnessPolicy } from '../freshness/freshness-policy';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { hashText, type CacheEntry } from '../storage/cache-entry';
import { earlyReply, type AdapterKind, type EarlyReply } from './cached-replies';

/** The validators of a hit, made once per entry (the body itself is the entry's, never copied). */
export interface PreparedResponse {
  /** Strong validator derived from the body: equal across processes and restarts. */
  readonly etag: string;
  readonly lastModified?: string;
}

/**
 * The response headers of a cache hit (ETag, Last-Modified, Cache-Control) and
 * whether the client's copy is current (304), for the interceptor and the
 * early-hit middleware alike.
 */
@Injectable()
export class CachedResponses {
  private readonly prepared = new WeakMap<CacheEntry, PreparedResponse>();
  /** Headers of an entry, when they do not depend on the time (no TTL-derived Cache-Control). */
  private readonly fixedHeaders = new WeakMap<CacheEntry, Array<[string, string]>>();

  constructor(
    private readonly policy: FreshnessPolicy,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  hitResponse(
    handler: PrecomputedHandler,
    entry: CacheEntry,
    ifNoneMatch: string | string[] | undefined,
  ): { prepared: PreparedResponse; headers: Array<[string, string]>; notModified: boolean } {
    const prepared = this.prepare(entry);
    let headers = this.fixedHeaders.get(entry);
    if (!headers) {
      headers = [['ETag', prepared.etag]];
      if (prepared.lastModified) headers.push(['Last-Modified', prepared.lastModified]);
      const cacheControl = this.cacheControl(handler, entry);
      if (cacheControl) headers.push(['Cache-Control', cacheControl]);
      if ((handler.options.cacheControl ?? this.options.cacheControl) !== true) this.fixedHeaders.set(entry, headers);
    }
    // RFC 9110 13.2.1: preconditions are ignored when the answer would not be a 2xx (a stored 4xx answer)
    return { prepared, headers, notModified: entry.status === undefined && matches(ifNoneMatch, prepared.etag) };
  }

  /**
   * The whole answer to a hit on the early path (`method` GET or HEAD), as the
   * adapter sends the live value, or undefined for a shape it leaves to Nest.
   */
  early(
    handler: PrecomputedHandler,
    entry: CacheEntry,
    route: { readonly status: number; readonly headers: ReadonlyArray<[string, string]> },
    ifNoneMatch: string | string[] | undefined,
    adapter: AdapterKind,
  ): EarlyReply | undefined {
    const reply = earlyReply(entry, adapter, route.status, route.headers);
    if (!reply) return undefined;
    const { headers, notModified } = this.hitResponse(handler, entry, ifNoneMatch);
    if (notModified) return { status: 304, headers: [...route.headers, ...headers] };
    return { ...reply, headers: [...reply.headers, ...headers] };
  }

  private cacheControl(handler: PrecomputedHandler, entry: CacheEntry): string | undefined {
    const setting = handler.options.cacheControl ?? this.options.cacheControl;
    if (setting !== true) return setting;
    const ttl = this.policy.ttlMs(handler);
    if (ttl === undefined) return 'public, no-cache';
    const left = Math.max(0, Math.floor((entry.computedAt + ttl - Date.now()) / 1000));
    return `public, max-age=${left}, stale-while-revalidate=${Math.ceil(ttl / 1000)}`;
  }

  private prepare(entry: CacheEntry): PreparedResponse {
    let prepared = this.prepared.get(entry);
    if (!prepared) {
      prepared = {
        etag: `"${hashText(entry.body).slice('sha256-'.length)}"`,
        ...(entry.computedAt > 0 ? { lastModified: new Date(entry.computedAt).toUTCString() } : {}),
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
