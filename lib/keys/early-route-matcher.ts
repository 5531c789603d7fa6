import { VERSION_NEUTRAL } from '@nestjs/common';
import type { PathTemplate } from './path-template';
import { headerVersionOf, type RouteVersion, type VersionSelector } from './route-version';

/** One route Nest registered for GET (or HEAD, or all methods), for one version. */
export interface RouteCandidate<T> {
  readonly template: PathTemplate;
  readonly version: RouteVersion;
  /**
   * Registered without a version filter (unversioned, or a lone `VERSION_NEUTRAL`):
   * it takes requests of any version that no versioned route takes (Fastify),
   * or of every version when registered first (Express).
   */
  readonly unconstrained: boolean;
  /** What to serve when this route is the one the request reaches; undefined for routes the early path never answers. */
  readonly target?: T;
}

export interface EarlyMatch<T> {
  readonly target: T;
  readonly params: Record<string, string>;
}

/**
 * Decides, before Nest's router runs, which route a request reaches; it only
 * answers when there is no doubt. A URL must be the canonical spelling of a
 * precomputed route; no other route Nest registered may be able to take it
 * (with any router setting, in any registration order); and its version must
 * select exactly that route. Anything else returns undefined, and the request
 * goes to Nest's router as usual (so a 404 stays Nest's 404). Custom
 * versioning is never decided here: only the app's extractor, run by the
 * router, knows a request's version.
 */
export class EarlyRouteMatcher<T> {
  private readonly staticTargets = new Map<string, Array<RouteCandidate<T>>>();
  private readonly paramTargets: Array<RouteCandidate<T>> = [];
  private readonly rivals = new Map<RouteCandidate<T>, ReadonlyArray<RouteCandidate<T>>>();

  constructor(
    routes: readonly RouteCandidate<T>[],
    private readonly selector: VersionSelector,
  ) {
    if (selector.type === 'custom') return;
    for (const route of routes) {
      if (route.target === undefined || !route.template.simple) continue;
      if (route.template.isStatic) {
        const list = this.staticTargets.get(route.template.path) ?? [];
        list.push(route);
        this.staticTargets.set(route.template.path, list);
      } else this.paramTargets.push(route);
      this.rivals.set(route, routes.filter((other) => other !== route && other.template.overlaps(route.template)));
    }
  }

  match(pathname: string, headers: Readonly<Record<string, string | string[] | undefined>>): EarlyMatch<T> | undefined {
    // A param target that also matches a static target's path is one of its rivals: no need to look for it here
    let exact = this.staticTargets.get(pathname);
    let params: Record<string, string> | undefined = {};
    if (!exact) {
      exact = [];
      for (const route of this.paramTargets) {
        const matched = route.template.match(pathname);
        if (matched) {
          exact.push(route);
          params = matched;
        }
      }
      if (exact.length === 0) return undefined;
    }
    let candidates = exact;
    for (const route of exact) {
      for (const rival of this.rivals.get(route) ?? []) {
        if (!rival.template.simple) return undefined;
        if (rival.template.mayMatch(pathname) && !candidates.includes(rival)) candidates = [...candidates, rival];
      }
    }
    const winner = this.select(candidates, headers);
    if (winner?.target === undefined) return undefined;
    // The winner may be a rival (matched loosely so far): it must match the URL exactly too
    if (winner.template.isStatic) params = winner.template.path === pathname ? {} : undefined;
    else if (exact.length > 1 || winner !== exact[0]) params = winner.template.match(pathname);
    return params && { target: winner.target, params };
  }

  /** The one route the request's version selects among those its path may reach, or undefined. */
  private select(candidates: Array<RouteCandidate<T>>, headers: Readonly<Record<string, string | string[] | undefined>>): RouteCandidate<T> | undefined {
    const version = headerVersionOf(this.selector, headers);
    if (version === undefined) return candidates.length === 1 ? candidates[0] : undefined;
    if (typeof version === 'string') {
      // An unconstrained route may take it first (Express registration order): only an exact, lone version wins
      if (candidates.some((route) => route.unconstrained)) return undefined;
      const exact = candidates.filter((route) => route.version === version);
      return exact.length === 1 ? exact[0] : undefined;
    }
    const neutral = candidates.filter((route) => route.unconstrained || route.version === VERSION_NEUTRAL);
    return neutral.length === 1 ? neutral[0] : undefined;
  }
}
