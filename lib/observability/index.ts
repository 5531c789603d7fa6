import { PrecomputeGauges } from './precompute-gauges';
import { PrecomputeMetrics } from './precompute-metrics';
import { PrecomputeStatusCollector } from './precompute-status.collector';
import { StatusPageRoutes } from '../status-page/status-page.routes';

/** The module's providers for metrics, status and the status page (one line in PrecomputeModule). */
export const OBSERVABILITY_PROVIDERS = [PrecomputeMetrics, PrecomputeStatusCollector, PrecomputeGauges, StatusPageRoutes];
