/**
 * Where the early path sits on Fastify: a route-level `preHandler` appended to
 * each GET and HEAD route as Fastify registers it (an `onRoute` hook). Fastify
 * runs a route's own hooks after every hook the app added to the instance, in
 * every phase up to the handler (`onRequest`, `preParsing`, `preValidation`,
 * `preHandler`), whenever the app added them before the server was ready; so an
 * auth check added with `fastify.addHook()` is never skipped. What an early
 * answer skips is Nest's handler: its guards, interceptors and pipes, which the
 * module checks for itself (`earlyHits: 'auto'`).
 */
export type FastifyHook = (request: never, reply: never, done: () => void) => void;

/** The part of a route's options (as `onRoute` hands them) this reads and changes. */
export interface FastifyRouteOptions {
  method: string | string[];
  preHandler?: FastifyHook | FastifyHook[];
}

/** Appends `hook` as the last preHandler of a GET or HEAD route, once (the HEAD route Fastify adds copies the GET route's options). */
export function appendEarlyHook(route: FastifyRouteOptions, hook: FastifyHook): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!methods.some((method) => method === 'GET' || method === 'HEAD')) return;
  const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  if (existing.includes(hook)) return;
  route.preHandler = [...existing, hook];
}
