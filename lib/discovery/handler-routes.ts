import { PathTemplate } from '../keys/path-template';
import type { IgnoredQueryParam } from '../keys/query-ignore';
import { versionLabel, type VersionSelector } from '../keys/route-version';
import { HandlerPlan, type DomainSource } from '../plan/handler-plan';
import type { ResolvedHandlerDomains } from '../plan/resolve-handler-domains';
import type { NestRoute } from './nest-routes';
import type { PrecomputedHandler } from './precomputed-handler';

export interface HandlerRouteInput {
  /** `Controller.method`. */
  readonly name: string;
  /** The routes Nest registered for the handler. */
  readonly routes: readonly NestRoute[];
  readonly selector: VersionSelector;
  readonly host: unknown;
  readonly early: PrecomputedHandler['early'];
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
  common: Omit<PrecomputedHandler, 'name' | 'keys' | 'total' | 'plan' | 'route' | 'early'>,
  input: HandlerRouteInput,
): PrecomputedHandler[] {
  const { name, routes, selector, host, early } = input;
  return routes.map((route) => {
    const label = versionLabel(selector, route.version) + (host === undefined ? '' : ` [host ${[host].flat().map(String).join(', ')}]`);
    const template = new PathTemplate(route.path);
    const plan = new HandlerPlan(input.source, { method: 'GET', path: route.path, label }, input.ignored, input.domains);
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
      early: early && template.simple ? early : undefined,
    };
  });
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
