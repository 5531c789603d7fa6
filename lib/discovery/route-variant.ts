import { VERSION_NEUTRAL } from '@nestjs/common';
import { headerVersionOf, type VersionSelector } from '../keys/route-version';
import type { PrecomputedRoute } from './precomputed-handler';

/** What the interceptor knows of a request that Nest's router sent to a handler. */
export interface RoutedRequest {
  readonly pathname: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request object the app's custom version extractor expects. */
  readonly raw: unknown;
}

/** Reads a request of either adapter (Express's request, or Fastify's with its `raw` Node request). */
export function routedRequest(request: unknown): RoutedRequest {
  const http = request as { originalUrl?: string; url?: string; headers?: RoutedRequest['headers']; raw?: unknown };
  const url = http.originalUrl ?? http.url ?? '/';
  const queryStart = url.indexOf('?');
  return {
    // Stryker disable next-line EqualityOperator: a request URL starts with '/', never with '?' (index 0)
    pathname: queryStart < 0 ? url : url.slice(0, queryStart),
    headers: http.headers ?? {},
    // Fastify's router hands the extractor the Node request; Express its own request
    raw: http.raw ?? request,
  };
}

/**
 * Which of a handler's routes (paths × versions) a request Nest routed to it
 * came through: the one whose path is the request's (when the URL is not in
 * its canonical form, any of them, since Nest chose this handler), then the
 * one of the request's version (read as the adapters read it), else a
 * version-neutral one. Undefined when that leaves no single route: the request
 * is then served live, never with another route's answer.
 */
export function selectRoute<T extends { readonly route: PrecomputedRoute }>(
  variants: readonly T[],
  request: RoutedRequest,
  selector: VersionSelector,
): T | undefined {
  // Stryker disable next-line ConditionalExpression: a shortcut; a lone variant is also the lone candidate below
  if (variants.length === 1) return variants[0];
  const byPath = variants.filter((variant) => variant.route.template.match(request.pathname) !== undefined);
  const candidates = byPath.length > 0 ? byPath : variants;
  if (candidates.length === 1) return candidates[0];
  const wanted = requestedVersions(selector, request);
  for (const version of wanted) {
    const exact = candidates.filter((variant) => variant.route.version === version);
    if (exact.length > 0) return exact.length === 1 ? exact[0] : undefined;
  }
  const neutral = candidates.filter((variant) => variant.route.unconstrained || variant.route.version === VERSION_NEUTRAL);
  return neutral.length === 1 ? neutral[0] : undefined;
}

/** The versions a request asks for, most wanted first. */
function requestedVersions(selector: VersionSelector, request: RoutedRequest): ReadonlyArray<string | symbol> {
  if (selector.type === 'custom') {
    try {
      return [selector.extract(request.raw)].flat();
      // An empty catch falls through to headerVersionOf, which gives no version for custom versioning either
    } catch /* Stryker disable next-line BlockStatement: see above */ {
      // Stryker disable next-line ArrayDeclaration: a version no route has selects nothing, as no version does
      return [];
    }
  }
  const version = headerVersionOf(selector, request.headers);
  return version === undefined ? [] : [version];
}
