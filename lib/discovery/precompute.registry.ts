import { Injectable, type Type } from '@nestjs/common';
import type { PrecomputedHandler } from './precomputed-handler';

/**
 * The handlers discovery found, looked up by controller class and handler
 * function: two controllers sharing a class name, or inheriting one method,
 * never collide.
 */
@Injectable()
export class PrecomputeRegistry {
  private readonly byHandler = new Map<Function, Map<Type, PrecomputedHandler>>();
  private list: readonly PrecomputedHandler[] = [];
  /** Handlers that may be answered before Nest's router, by exact path or by path template. */
  private readonly earlyPaths = new Map<string, PrecomputedHandler>();
  private readonly earlyTemplates: Array<{ segments: string[]; handler: PrecomputedHandler }> = [];

  register(handlers: readonly PrecomputedHandler[]): void {
    this.list = handlers;
    for (const handler of handlers) {
      if (handler.early) {
        const path = handler.keys.route.path;
        if (path.includes(':')) this.earlyTemplates.push({ segments: path.split('/'), handler });
        else this.earlyPaths.set(path, handler);
      }
      const byController = this.byHandler.get(handler.handler) ?? new Map<Type, PrecomputedHandler>();
      byController.set(handler.controller, handler);
      this.byHandler.set(handler.handler, byController);
    }
  }

  find(controller: Type, handler: Function): PrecomputedHandler | undefined {
    return this.byHandler.get(handler)?.get(controller);
  }

  findByName(controller: Type, methodName: string): PrecomputedHandler | undefined {
    return this.list.find((handler) => handler.controller === controller && handler.methodName === methodName);
  }

  /**
   * The handler whose route is exactly this path (case and trailing slash
   * included), with its route params decoded; anything less exact is left to
   * Nest's router.
   */
  matchEarly(pathname: string): { handler: PrecomputedHandler; params: Record<string, string> } | undefined {
    const exact = this.earlyPaths.get(pathname);
    if (exact) return { handler: exact, params: {} };
    if (this.earlyTemplates.length === 0) return undefined;
    const segments = pathname.split('/');
    for (const template of this.earlyTemplates) {
      if (template.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matched = template.segments.every((segment, i) => {
        if (!segment.startsWith(':')) return segment === segments[i];
        try {
          params[segment.slice(1)] = decodeURIComponent(segments[i]);
        } catch {
          return false;
        }
        return segments[i].length > 0;
      });
      if (matched) return { handler: template.handler, params };
    }
    return undefined;
  }

  all(): readonly PrecomputedHandler[] {
    return this.list;
  }
}
