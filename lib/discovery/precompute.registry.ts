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

  register(handlers: readonly PrecomputedHandler[]): void {
    this.list = handlers;
    for (const handler of handlers) {
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

  all(): readonly PrecomputedHandler[] {
    return this.list;
  }
}
