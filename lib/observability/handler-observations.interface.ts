/** What `PrecomputeService.status()` reports per handler beyond the counts: what the status page shows. */
export interface HandlerObservations {
  /** `cached / total`, from 0 to 1. */
  coverage: number;
  /** Cached entries past their TTL or of an older `version`: served while they are refreshed. */
  stale: number;
  /** UTF-8 bytes of the bodies held. */
  bytes: number;
  /** Answers since the process started, by how they were made. */
  answers: {
    /** Hits served by the interceptor. */
    cached: number;
    /** Hits served before Nest's router (`earlyHits`). */
    early: number;
    /** `304 Not Modified` answers to a matching `If-None-Match`. */
    notModified: number;
    /** Requests for a combination not cached, answered by the handler. */
    live: number;
    /** Hits that served a stale entry (counted in `cached`/`early` too). */
    stale: number;
    /**
     * Hits by the status they answered with: the route's own (200, or its
     * `@HttpCode()`), 304, or a stored 4xx answer (an answer, not a failure).
     */
    byStatus: Record<number, number>;
  };
  /** Combinations whose last computation failed: how many, and the most recent ones with their error. */
  failing: number;
  failures: Array<{ key: string; error: string; at: string; count: number }>;
  /** The last refresh (stale, new version, on demand) that computed this handler's combinations. */
  lastRefresh?: { at: string; reason: string; computed: number; failed: number; durationMs: number };
  /** When the next entry turns stale and is refreshed; absent with no TTL and nothing stale. */
  nextRefresh?: string;
  /** While a startup run computes this handler: how far it got. */
  progress?: { startedAt: string; toCompute: number; done: number; percent: number; etaMs?: number };
  /** Which path answers hits (`early`: before Nest's router; `interceptor`), and why. */
  serving: { path: 'early' | 'interceptor'; why: string };
}
