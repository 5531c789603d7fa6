import { PathTemplate } from '../keys/path-template';
import type { IgnoredQueryParam } from '../keys/query-ignore';
import { versionLabel, type VersionSelector } from '../keys/route-version';
import { HandlerPlan, type DomainSource } from '../plan/handler-plan';
import type { PlannedKeys } from '../plan/planned-keys';
import type { ResolvedHandlerDomains } from '../plan/resolve-handler-domains';
import { appliesToGet, mountsMatching, type MiddlewareMount } from '../serving/middleware-mounts';
import { servingPath, type EarlyHitsSetting, type RouteFacts, type ServingPath } from '../serving/serving-path';
import type { NestRoute } from './nest-routes';
import type { PrecomputedHandler } from './precomputed-handler';

export interface HandlerRouteInput {
  /** `Controller.method`. */
  readonly name: string;
  /** The routes Nest registered for the handler. */
  readonly routes: readonly NestRoute[];
  readonly selector: VersionSelector;
  readonly host: unknown;
  /** What the early path sends besides the body (`@HttpCode()`, `@Header()`). */
  readonly reply: NonNullable<PrecomputedHandler['early']>;
  readonly earlyHits: EarlyHitsSetting;
  /** What runs for the handler whatever its URL; the middleware is found per route. */
  readonly facts: Omit<RouteFacts, 'middleware'>;
  /** Every middleware mount Nest made for modules' `configure()`. */
  readonly mounts: readonly MiddlewareMount[];
  /** The handler's domains and plan, built for its first route; each route gets its own copy. */
  readonly domains: Pick<ResolvedHandlerDomains, 'keys' | 'failure'>;
  /** What re-evaluates them on a refresh, shared by the routes. */
  readonly source: DomainSource;
  readonly ignored: IgnoredQueryParam;
}

/**
 * One PrecomputedHandler per route of a handler, each with keys of its own:
 * the route's path, and a label for what the path does not say (a header or
 * media-type version, a host). Routes the early matcher cannot read (wildcards)
 * are left to the interceptor.
 */
export function perRoute(
  common: Omit<PrecomputedHandler, 'name' | 'keys' | 'total' | 'plan' | 'route' | 'early' | 'serving'>,
  input: HandlerRouteInput,
): PrecomputedHandler[] {
  const { name, routes, selector, host } = input;
  return routes.map((route) => {
    const label = versionLabel(selector, route.version) + (host === undefined ? '' : ` [host ${[host].flat().map(String).join(', ')}]`);
    const template = new PathTemplate(route.path);
    const plan = new HandlerPlan(input.source, { method: 'GET', path: route.path, label }, input.ignored, input.domains);
    const serving: ServingPath = template.simple
      ? servingPath(input.earlyHits, { ...input.facts, middleware: middlewareAt(input.mounts, template, plan.keys, input.source.dynamic) })
      : { early: false, reason: 'its path has patterns or wildcards that only Nest\'s router reads' };
    return {
      ...common,
      name: routes.length === 1 ? name : `${name} (GET ${route.path}${label})`,
      // Getters, not copies: a refresh that reads the data again swaps the plan under every holder of the handler
      get keys() {
        return plan.keys;
      },
      get total() {
        return plan.total;
      },
      plan,
      route: { template, version: route.version, unconstrained: route.unconstrained },
      early: serving.early ? input.reply : undefined,
      serving,
    };
  });
}

/**
 * The module middleware mounted where a hit of this route can be asked for:
 * the route's own path (which a pattern mount like `/stores/:id` matches) and
 * each concrete path of its combinations (which a mount like `/stores/42`
 * matches). With path params of an unknown domain, any URL of the route may
 * be a hit, so every GET mount counts: the middleware is never skipped.
 */
function middlewareAt(mounts: readonly MiddlewareMount[], template: PathTemplate, keys: PlannedKeys, dynamic: boolean): MiddlewareMount[] {
  if (mounts.length === 0) return [];
  // Values from data may change on a refresh (a new store id): every GET mount counts then too
  if (!template.isStatic && (keys.isUnknown || dynamic)) return mounts.filter((mount) => appliesToGet(mount.method));
  const found = new Set(mountsMatching(mounts, template.path));
  if (!template.isStatic) {
    for (const values of keys.planned()) {
      for (const mount of mountsMatching(mounts, concretePath(keys.keyOf(values)))) found.add(mount);
    }
  }
  return [...found];
}

/** The URL path of a key: `GET /stores/42?x=1 [v2]` → `/stores/42`. */
function concretePath(key: string): string {
  const path = key.slice(key.indexOf(' ') + 1);
  const end = path.search(/[? ]/);
  return end < 0 ? path : path.slice(0, end);
}

/** Whether a PrecomputedHandler stands for this route of Nest's. */
export function isRouteOf(handler: PrecomputedHandler, route: NestRoute): boolean {
  return (
    handler.controller === route.controller &&
    handler.methodName === route.methodName &&
    handler.route.template.path === route.path &&
    handler.route.version === route.version
  );
}
