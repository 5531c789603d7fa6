import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { BatchObservableCallback, Observable } from './otel-types';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import { METRICS } from './metric-names';
import { PrecomputeMetrics, routeAttributes } from './precompute-metrics';
import { PrecomputeStatusCollector } from './precompute-status.collector';

/**
 * Entries, stale entries and bytes per handler, as observable gauges read from
 * the status when the SDK collects (not on the request path).
 */
@Injectable()
export class PrecomputeGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  private unregister?: () => void;

  constructor(
    private readonly metrics: PrecomputeMetrics,
    private readonly registry: PrecomputeRegistry,
    private readonly collector: PrecomputeStatusCollector,
  ) {}

  onApplicationBootstrap(): void {
    const meter = this.metrics.meter;
    if (!meter) return;
    const entries = meter.createObservableGauge(METRICS.entries, { description: 'Combinations held in the store', unit: '{entry}' });
    const stale = meter.createObservableGauge(METRICS.staleEntries, {
      description: 'Entries past their TTL or of an older version, served while refreshed',
      unit: '{entry}',
    });
    const bytes = meter.createObservableGauge(METRICS.bytes, { description: 'UTF-8 bytes of the bodies held', unit: 'By' });
    const observables: Observable[] = [entries, stale, bytes];
    const callback: BatchObservableCallback = (result) => {
      for (const handler of this.registry.all()) {
        const figures = this.collector.figures(handler);
        const attributes = routeAttributes(handler);
        result.observe(entries, figures.cached, attributes);
        result.observe(stale, figures.stale, attributes);
        result.observe(bytes, figures.bytes, attributes);
      }
    };
    meter.addBatchObservableCallback(callback, observables);
    this.unregister = () => meter.removeBatchObservableCallback(callback, observables);
  }

  onApplicationShutdown(): void {
    this.unregister?.();
  }
}
