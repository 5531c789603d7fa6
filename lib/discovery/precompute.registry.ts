import { Injectable, type Type } from '@nestjs/common';
import { EarlyRouteMatcher, type EarlyMatch, type RouteCandidate } from '../keys/early-route-matcher';
import type { VersionSelector } from '../keys/route-version';
import type { PrecomputedHandler } from './precomputed-handler';
import { routedRequest, selectRoute, type RoutedRequest } from './route-variant';

/**
 * The handlers discovery found, looked up by controller class and handler
 * function (two controllers sharing a class name, or inheriting one method,
 * never collide), then by the route a request came through; and, for
 * `earlyHits`, by URL before Nest's router.
 */
@Injectable()
export class PrecomputeRegistry {
  private readonly byHandler = new Map<Function, Map<Type, PrecomputedHandler[]>>();
  private list: readonly PrecomputedHandler[] = [];
  private routes: ReadonlyArray<RouteCandidate<PrecomputedHandler>> = [];
  private selector: VersionSelector = { type: 'path' };
  private early?: EarlyRouteMatcher<PrecomputedHandler>;

  /** Every GET route of the app (from discovery), with the precomputed handler each may be answered by early. */
  useRoutes(routes: ReadonlyArray<RouteCandidate<PrecomputedHandler>>, selector: VersionSelector): void {
    this.routes = routes;
    this.selector = selector;
  }

  register(handlers: readonly PrecomputedHandler[]): void {
    this.list = handlers;
    this.byHandler.clear();
    for (const handler of handlers) {
      const byController = this.byHandler.get(handler.handler) ?? new Map<Type, PrecomputedHandler[]>();
      byController.set(handler.controller, [...(byController.get(handler.controller) ?? []), handler]);
      this.byHandler.set(handler.handler, byController);
    }
    this.early = new EarlyRouteMatcher(this.routes, this.selector);
  }

  /**
   * The precomputed handler (on the route the request came through) that Nest
   * routed a request to; undefined when the handler is not precomputed, or the
   * route cannot be told (see `selectRoute`).
   */
  find(controller: Type, handler: Function, request?: unknown): PrecomputedHandler | undefined {
    const variants = this.byHandler.get(handler)?.get(controller);
    if (!variants) return undefined;
    if (variants.length === 1) return variants[0];
    return request ? selectRoute(variants, routedRequest(request), this.selector) : undefined;
  }

  findByName(controller: Type, methodName: string): PrecomputedHandler | undefined {
    return this.list.find((handler) => handler.controller === controller && handler.methodName === methodName);
  }

  /** The precomputed handler a request reaches, when that can be known for sure before Nest's router (see EarlyRouteMatcher). */
  matchEarly(pathname: string, headers: RoutedRequest['headers']): EarlyMatch<PrecomputedHandler> | undefined {
    return this.early?.match(pathname, headers);
  }

  all(): readonly PrecomputedHandler[] {
    return this.list;
  }
}
