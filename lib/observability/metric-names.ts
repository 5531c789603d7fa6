/**
 * Metric names and attributes, after OpenTelemetry's semantic conventions:
 * dotted lowercase names in the `precompute.` namespace, durations in seconds,
 * the route as `http.route`, the status answered as `http.response.status_code`
 * and the failure's class as `error.type`.
 */
export const METER_NAME = 'nestjs-precompute';

export const METRICS = {
  hits: 'precompute.hits',
  liveAnswers: 'precompute.live_answers',
  staleAnswers: 'precompute.stale_answers',
  refreshes: 'precompute.refreshes',
  failures: 'precompute.failures',
  computeDuration: 'precompute.compute.duration',
  serveDuration: 'precompute.serve.duration',
  entries: 'precompute.entries',
  staleEntries: 'precompute.stale_entries',
  bytes: 'precompute.bytes',
} as const;

export const ATTRIBUTES = {
  route: 'http.route',
  method: 'http.request.method',
  handler: 'precompute.handler',
  servingPath: 'precompute.serving_path',
  statusCode: 'http.response.status_code',
  refreshReason: 'precompute.refresh.reason',
  errorType: 'error.type',
} as const;

/** Bucket bounds (seconds): a hit takes microseconds, a computation up to minutes. */
export const SERVE_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01];
export const COMPUTE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
