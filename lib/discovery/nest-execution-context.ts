/**
 * Nest-internal detail (a sibling of nest-internals.ts, for the same reason):
 * a synthetic ExecutionContext. At startup there is no request, yet the
 * serializer interceptors that wrap a route (ClassSerializerInterceptor) must
 * run over the value exactly as they do live. They read only the controller
 * class and the handler from the context (for `@SerializeOptions()`), which is
 * an implementation detail of `@nestjs/common`: if a Nest release makes them
 * read the request, this is the file to update.
 */
import type { ArgumentsHost, ExecutionContext, Type } from '@nestjs/common';

/** The context serializers see when a value is computed at startup: the real controller class and handler, and no request. */
export class StartupExecutionContext implements ExecutionContext {
  constructor(
    private readonly controller: Type,
    private readonly handler: Function,
  ) {}
  getClass<T>(): Type<T> {
    return this.controller as Type<T>;
  }
  getHandler(): Function {
    return this.handler;
  }
  getArgs<T extends unknown[]>(): T {
    return [] as unknown as T;
  }
  getArgByIndex<T>(): T {
    return undefined as T;
  }
  getType<T extends string>(): T {
    return 'http' as T;
  }
  switchToHttp(): ReturnType<ArgumentsHost['switchToHttp']> {
    return { getRequest: () => undefined, getResponse: () => undefined, getNext: () => undefined } as never;
  }
  switchToRpc(): ReturnType<ArgumentsHost['switchToRpc']> {
    return { getData: () => undefined, getContext: () => undefined } as never;
  }
  switchToWs(): ReturnType<ArgumentsHost['switchToWs']> {
    return { getData: () => undefined, getClient: () => undefined, getPattern: () => undefined } as never;
  }
}
