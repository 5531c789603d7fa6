export { PrecomputeHealthIndicator, type PrecomputeHealthOptions } from './precompute.health-indicator';
