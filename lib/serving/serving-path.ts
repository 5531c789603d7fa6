import type { MiddlewareMount } from './middleware-mounts';

/** `earlyHits` as the module option gives it. */
export type EarlyHitsSetting = boolean | 'auto';

/** What runs for a route between the server and its handler, as discovery found it. */
export interface RouteFacts {
  readonly guards: number;
  /** Interceptors other than ClassSerializerInterceptor (and this module's). */
  readonly otherInterceptors: number;
  /** `@Render()`, `@Redirect()` or `@Sse()`. */
  readonly responseOverride: boolean;
  /** A version Nest resolves from something other than the path (header, media type, custom). */
  readonly versionOutsidePath: boolean;
  readonly host: boolean;
  /** Middleware of modules' `configure()` mounted where this route's URLs are. */
  readonly middleware: readonly MiddlewareMount[];
}

export interface ServingPath {
  readonly early: boolean;
  /** Why a hit is served by the interceptor, for the startup log and the status page. */
  readonly reason?: string;
}

/**
 * Whether a hit may be answered before Nest's router. Exception filters do not
 * count: a hit throws nothing for them to catch. `true` keeps its 0.1 meaning
 * (module middleware may be skipped); `'auto'` serves early only when nothing
 * else would run for the route.
 */
export function servingPath(setting: EarlyHitsSetting, facts: RouteFacts): ServingPath {
  if (setting === false) return { early: false, reason: 'earlyHits is off' };
  if (facts.guards > 0) return { early: false, reason: `${facts.guards} guard(s) must run` };
  if (facts.otherInterceptors > 0) return { early: false, reason: `${facts.otherInterceptors} interceptor(s) must run` };
  if (facts.responseOverride) return { early: false, reason: '@Render/@Redirect/@Sse shape the response' };
  if (facts.host) return { early: false, reason: 'the controller is bound to a host' };
  if (facts.versionOutsidePath) return { early: false, reason: 'its version is read from the request, not the path' };
  if (setting === 'auto' && facts.middleware.length > 0) {
    const paths = [...new Set(facts.middleware.map((mount) => mount.path))].join(', ');
    return { early: false, reason: `middleware bound in a module's configure() applies (mounted at ${paths})` };
  }
  return { early: true };
}
