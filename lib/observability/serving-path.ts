import type { PrecomputedHandler } from '../discovery/precomputed-handler';

export interface ServingPathStatus {
  readonly path: 'early' | 'interceptor';
  readonly why: string;
}

/**
 * Which path serves a handler's hits, and why, in words an operator can act
 * on: discovery's decision for the route (`handler.serving`, the same reason
 * the startup log gives).
 */
export function servingPath(handler: Pick<PrecomputedHandler, 'serving'>): ServingPathStatus {
  if (handler.serving.early) return { path: 'early', why: "nothing else must run on a hit: answered before Nest's router" };
  return { path: 'interceptor', why: handler.serving.reason ?? 'Nest\'s pipeline must run on a hit' };
}
