/** Metadata key under which `@Precomputed()` stores its options on a handler. */
export const PRECOMPUTED_METADATA = 'nestjs-precompute:precomputed';

/** Logger context used for everything this module logs. */
export const LOGGER_CONTEXT = 'Precompute';

/** Defaults for every module option; the README's option table mirrors this object. */
export const DEFAULTS = {
  concurrency: 4,
  maxCombinations: 10_000,
  startup: 'blocking',
  retries: 0,
  retryDelayMs: 500,
  failOnError: false,
  progress: true,
  progressIntervalMs: 2_000,
  onInvalidFile: 'fail',
  watchFile: true,
  lockStaleMs: 10_000,
  persistLiveResults: true,
  versionChangeAtStartup: 'background',
  logLevel: 'log',
  earlyHits: 'auto',
  cacheClientErrors: true,
} as const;

/** Least and most time between two sweeps for stale entries. */
export const SWEEP_MS = { min: 50, max: 60_000 } as const;
