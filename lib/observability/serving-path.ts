import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { PrecomputeModuleOptions } from '../interfaces/precompute-module-options.interface';

export interface ServingPathStatus {
  readonly path: 'early' | 'interceptor';
  readonly why: string;
}

/**
 * Which path serves a handler's hits, and why, in words an operator can act
 * on. The decision is discovery's (`handler.early`: an early answer exists
 * when nothing else must run on a hit); this only puts it into words, so it is
 * the one place to change when discovery gives its own reason per handler.
 */
export function servingPath(
  handler: Pick<PrecomputedHandler, 'early' | 'sendsPrebuiltBody'>,
  earlyHits: PrecomputeModuleOptions['earlyHits'],
): ServingPathStatus {
  if (handler.early && earlyHits) {
    return { path: 'early', why: "earlyHits is on and nothing else must run on a hit: answered before Nest's router" };
  }
  if (handler.early) return { path: 'interceptor', why: 'earlyHits is off (this handler could use it: nothing else must run on a hit)' };
  const because = handler.sendsPrebuiltBody
    ? "guards, a host, custom versioning or a wildcard path need Nest's router"
    : 'other interceptors or a response override (@Render, @Redirect) must run';
  return { path: 'interceptor', why: earlyHits ? `not eligible for earlyHits: ${because}` : `earlyHits is off; ${because}` };
}
