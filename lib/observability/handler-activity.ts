/** A combination whose last computation failed (and none succeeded since). */
export interface FailureRecord {
  readonly key: string;
  readonly error: string;
  /** Epoch ms of the last failure. */
  readonly at: number;
  /** Failures in a row. */
  readonly count: number;
}

/** The last refresh that touched a handler. */
export interface RefreshRecord {
  /** Epoch ms when it ended. */
  readonly at: number;
  readonly reason: string;
  readonly computed: number;
  readonly failed: number;
  readonly durationMs: number;
}

/** A startup run of one handler under way. */
export interface RunRecord {
  readonly startedAt: number;
  readonly toCompute: number;
  done: number;
}

/**
 * What one handler did in this process: answers by kind, failures with their
 * last error, the last refresh, the run under way. Plain fields: a hit
 * increments two of them and nothing more.
 */
export class HandlerActivity {
  /** Hits served by the interceptor (304s not included). */
  cached = 0;
  /** Hits served before Nest's router (304s not included). */
  early = 0;
  notModified = 0;
  live = 0;
  stale = 0;
  /** Hits by the status they answered with: the route's own (200, or its @HttpCode), 304, or a stored 4xx answer. */
  readonly byStatus: Record<number, number> = {};
  /** Failed computations since start, all combinations together. */
  failures = 0;
  readonly failing = new Map<string, FailureRecord>();
  lastRefresh?: RefreshRecord;
  run?: RunRecord;

  /** `successStatus`: what a hit on a stored 2xx answer answers (the route's `@HttpCode()`, or 200). */
  constructor(readonly successStatus: number) {}

  succeeded(key: string): void {
    this.failing.delete(key);
    if (this.run) this.run.done++;
  }

  failed(key: string, error: string, at: number): void {
    this.failures++;
    this.failing.set(key, { key, error, at, count: (this.failing.get(key)?.count ?? 0) + 1 });
    if (this.run) this.run.done++;
  }
}
