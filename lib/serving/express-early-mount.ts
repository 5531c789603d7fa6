/**
 * Where the early answer sits in an Express app. Express runs its app-level
 * middleware in the order it was added: first what `app.use()` added before
 * the app initialized (an auth or logging middleware in main.ts), then the
 * body parsers Nest adds while it initializes, then module middleware and
 * routes. The early answer must come after the first group and before the
 * last; it has no use for the parsers, which cost a hit two passes through
 * Express's router for a GET that has no body. So it is placed just before
 * the parser layers that precede it, and a request that carries a body goes
 * on to Nest as it would without the early path (the parsers may refuse it).
 *
 * This reads Express's router stack (`app.router.stack`, each layer's
 * `handle.name`), as Nest's Express adapter does to know whether a parser is
 * already applied (`isMiddlewareApplied`).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The names `express.json()` and `express.urlencoded()` give their middleware, which Nest adds at init. */
const BODY_PARSERS: ReadonlySet<string> = new Set(['jsonParser', 'urlencodedParser']);

interface ExpressLayer {
  readonly handle: { readonly name: string };
}

interface ExpressAppLike {
  use(handler: (...args: never[]) => void): unknown;
  readonly router?: { readonly stack?: ExpressLayer[] };
}

/**
 * Where a layer added last should go, given the handler names of the layers
 * before it: before the body parsers that directly precede it, never before
 * anything else.
 */
export function earlyLayerIndex(namesBefore: readonly string[]): number {
  let index = namesBefore.length;
  // Before the first name there is none: the loop ends there
  while (BODY_PARSERS.has(namesBefore[index - 1])) index--;
  return index;
}

/** Type-is's rule, which the body parsers follow: a request has a body when either header says so. */
export function carriesBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;
}

/** Adds the early middleware to an Express app, before the body parsers Nest added just before it. */
export function mountEarly(app: ExpressAppLike, handler: (...args: never[]) => void): void {
  app.use(handler);
  const stack = app.router?.stack;
  // An Express without a readable stack keeps the layer where use() put it: after the parsers, still correct
  if (!Array.isArray(stack)) return;
  const layer = stack.pop() as ExpressLayer;
  stack.splice(earlyLayerIndex(stack.map((before) => before.handle.name)), 0, layer);
}
