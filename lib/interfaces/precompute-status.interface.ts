import type { HandlerObservations } from '../observability/handler-observations.interface';

/** Figures of one handler, as `PrecomputeService.status()` reports them. */
export interface HandlerStatus extends HandlerCounts, HandlerObservations {}

/** What the engine counts per handler. */
export interface HandlerCounts {
  /** `Controller.method`. */
  handler: string;
  /** Method and path, e.g. `GET /sales-report`. */
  route: string;
  total: number;
  cached: number;
  computed: number;
  failed: number;
  inProgress: number;
}

/** The result of one precompute run. */
export interface PrecomputeSummary {
  /** Combinations found already cached. */
  cached: number;
  computed: number;
  failed: number;
  /** Not started because the app shut down. */
  skipped: number;
  durationMs: number;
  /** One line per failed combination: key and error message. */
  failures: ReadonlyArray<{ key: string; error: string }>;
}
