/**
 * Serving scenarios for the metrics' cost on the hit path: without the
 * recorder's calls at all (the baseline of "no SDK costs nothing"), and with
 * an OpenTelemetry SDK registered (what an app that exports metrics pays).
 */
import { PrecomputeMetrics } from '../lib/observability/precompute-metrics';

/** Empties the recorder's hit-path methods, as if the hooks were not there. */
export function unrecord(): void {
  const prototype = PrecomputeMetrics.prototype as unknown as Record<string, unknown>;
  for (const method of ['now', 'hit', 'liveAnswer', 'staleServed']) prototype[method] = () => 0;
}

/** An SDK with a periodic reader, as an app exporting metrics would have (export every 60 s, to nowhere). */
export async function registerOtelSdk(): Promise<void> {
  const { metrics } = await import('@opentelemetry/api');
  const { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  setInterval(() => exporter.reset(), 60_000).unref();
}
