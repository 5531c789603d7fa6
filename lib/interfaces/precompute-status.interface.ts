import type { HandlerObservations } from '../observability/handler-observations.interface';

/** Figures of one handler, as `PrecomputeService.status()` reports them. */
export interface HandlerStatus extends HandlerCounts, HandlerObservations {}

/** What `status()` counts per handler: combinations, what this process computed, the 4xx answers held. */
export interface HandlerCounts {
  /** `Controller.method`. */
  handler: string;
  /** Method and path, e.g. `GET /sales-report`, and what tells a version apart when the path does not (`GET /sales-report -H 'X-API-Version: 2'`). */
  route: string;
  total: number;
  cached: number;
  computed: number;
  failed: number;
  inProgress: number;
  /** Cached answers given as a 4xx HttpException, by status (e.g. `{ 404: 3 }`), when there are any; part of `cached`, not failures. */
  answered?: Record<number, number>;
  /** When the next scheduled refresh (`refreshCron`) is due, as an ISO date; absent without a schedule. */
  nextRefresh?: string;
}

/** The result of one precompute run. */
export interface PrecomputeSummary {
  /** Combinations found already cached. */
  cached: number;
  computed: number;
  /** Of `computed`: answers given as a 4xx HttpException, by status (e.g. `{ 404: 3 }`); not failures. */
  answered?: Record<number, number>;
  failed: number;
  /** Not started because the app shut down. */
  skipped: number;
  durationMs: number;
  /** One line per failed combination: key and error message. */
  failures: ReadonlyArray<{ key: string; error: string }>;
}
