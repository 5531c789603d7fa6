/**
 * Nest keeps the middleware that modules bind in `configure()` in a container
 * no provider can reach, and mounts it on the HTTP adapter while the app
 * initializes, after every module's `configure()` has run. To know which of
 * it applies to a precomputed route (so that `earlyHits: 'auto'` never skips
 * it), the recorder wraps the adapter's `createMiddlewareFactory()` (the one
 * door every such mount goes through, on Express and Fastify alike) and
 * writes down each method and path Nest mounts. It changes nothing else.
 */
import type { RequestMethod } from '@nestjs/common';
import type { MiddlewareMount } from './middleware-mounts';

type Mount = (path: string, callback: Function) => unknown;

interface MiddlewareFactoryHost {
  createMiddlewareFactory(method: RequestMethod): Mount | Promise<Mount>;
}

export class MiddlewareRecorder {
  private readonly recorded: MiddlewareMount[] = [];

  /** What Nest has mounted so far (complete once the app has initialized). */
  get mounts(): readonly MiddlewareMount[] {
    return this.recorded;
  }

  /** Starts recording; call it from a module's `configure()`, which runs before Nest mounts any middleware. */
  install(adapter: MiddlewareFactoryHost): void {
    const original = adapter.createMiddlewareFactory.bind(adapter);
    const wrap = (method: RequestMethod, mount: Mount): Mount => (path, callback) => {
      this.recorded.push({ method, path });
      return mount(path, callback);
    };
    adapter.createMiddlewareFactory = (method: RequestMethod) => {
      const mount = original(method);
      return mount instanceof Promise ? mount.then((resolved) => wrap(method, resolved)) : wrap(method, mount);
    };
  }
}
