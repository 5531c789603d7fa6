import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';

export interface Point {
  readonly attributes: Record<string, unknown>;
  readonly value: number | Histogram;
}

/**
 * An OpenTelemetry SDK registered as the global meter provider, exporting to
 * memory; `collect()` returns every data point by metric name. Register it
 * before creating the app, as an app registers its SDK before Nest starts.
 */
export class OtelMemory {
  private readonly exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({ exporter: this.exporter, exportIntervalMillis: 3_600_000 });
  private readonly provider = new MeterProvider({ readers: [this.reader] });

  constructor() {
    metrics.disable();
    if (!metrics.setGlobalMeterProvider(this.provider)) throw new Error('could not register the test meter provider');
  }

  async collect(): Promise<Map<string, Point[]>> {
    this.exporter.reset();
    await this.reader.forceFlush();
    const byName = new Map<string, Point[]>();
    for (const resource of this.exporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          const points = (metric.dataPoints as Array<DataPoint<number | Histogram>>).map((point) => ({ attributes: { ...point.attributes }, value: point.value }));
          byName.set(metric.descriptor.name, [...(byName.get(metric.descriptor.name) ?? []), ...points]);
        }
      }
    }
    return byName;
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
    metrics.disable();
  }
}

/** The sum of the values (or histogram counts) of the points whose attributes include `match`. */
export function total(points: Map<string, Point[]>, name: string, match: Record<string, unknown> = {}): number {
  return (points.get(name) ?? [])
    .filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (typeof point.value === 'number' ? point.value : point.value.count), 0);
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms}ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
