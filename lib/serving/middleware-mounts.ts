import { RequestMethod } from '@nestjs/common';
import { match } from 'path-to-regexp';

/** One middleware Nest mounted for a module's `configure()`: its method and path as Nest gave them to the adapter. */
export interface MiddlewareMount {
  readonly method: RequestMethod;
  readonly path: string;
}

/**
 * The middleware mounts that a GET request for `pathname` would run: Nest
 * mounts `forRoutes()` paths as prefixes (`app.use(path)`), or exactly when it
 * marks the path with a trailing `$`. `exclude()` is applied by Nest inside the
 * mounted function at request time, so an excluded route still counts here:
 * when in doubt, a hit is served by the interceptor, after the middleware.
 */
export function mountsMatching(mounts: readonly MiddlewareMount[], pathname: string): MiddlewareMount[] {
  return mounts.filter((mount) => appliesToGet(mount.method) && pathMatches(mount.path, pathname));
}

/** The methods a mount may be limited to that a GET (or HEAD) request is not. */
const OTHER_METHODS: ReadonlySet<number> = new Set(
  Object.values(RequestMethod).filter(
    (method): method is RequestMethod => typeof method === 'number' && method !== RequestMethod.ALL && method !== RequestMethod.GET && method !== RequestMethod.HEAD,
  ),
);

/**
 * Whether a mount of this method runs for GET (and HEAD) requests: unless it
 * is limited to another method. A string `forRoutes('reports/*path')` reaches
 * the adapter with no method of its own (-1), and Nest mounts it for every
 * method; any value not known here counts too, so the middleware is never skipped.
 */
export function appliesToGet(method: RequestMethod): boolean {
  return !OTHER_METHODS.has(method);
}

function pathMatches(mountPath: string, pathname: string): boolean {
  const exact = mountPath.endsWith('$');
  const path = normalize(exact ? mountPath.slice(0, -1) : mountPath);
  if (path === '/' && !exact) return true;
  try {
    // Express and middie compare case-insensitively and ignore a trailing slash by default
    return match(path, { end: exact, sensitive: false, trailing: true, decode: false })(pathname) !== false;
  } catch {
    // A pattern we cannot read: assume it matches, so the middleware is never skipped
    return true;
  }
}

/** Nest's legacy wildcards (`/cats/*`, `(.*)`) in path-to-regexp 8 syntax. */
function normalize(path: string): string {
  let withSlash = path.startsWith('/') ? path : `/${path}`;
  // `forRoutes(Controller)` mounts `/cats/`, which both adapters match at `/cats` too
  if (withSlash.length > 1 && withSlash.endsWith('/')) withSlash = withSlash.slice(0, -1);
  return withSlash.replace(/\/\(\.\*\)$/, '/{*path}').replace(/\/\*$/, '/{*path}').replace(/\*$/, '{*path}') || '/';
}
