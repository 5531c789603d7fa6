import type { ExecutionContext, Type } from '@nestjs/common';

type HttpArgumentsHost = ReturnType<ExecutionContext['switchToHttp']>;
type RpcArgumentsHost = ReturnType<ExecutionContext['switchToRpc']>;
type WsArgumentsHost = ReturnType<ExecutionContext['switchToWs']>;

/**
 * The context a guard receives for a status-page request. The page is a route
 * of the HTTP adapter, not a controller, so Nest builds no context for it;
 * this one carries the adapter's own request and response, as Nest's would.
 */
export class HttpExecutionContext implements ExecutionContext {
  constructor(
    private readonly request: unknown,
    private readonly response: unknown,
    private readonly handler: Function,
    private readonly type: Type,
  ) {}

  getClass<T>(): Type<T> {
    return this.type as Type<T>;
  }
  getHandler(): Function {
    return this.handler;
  }
  getArgs<T extends unknown[] = unknown[]>(): T {
    return [this.request, this.response] as T;
  }
  getArgByIndex<T = unknown>(index: number): T {
    return this.getArgs()[index] as T;
  }
  getType<TContext extends string = 'http'>(): TContext {
    return 'http' as TContext;
  }
  switchToHttp(): HttpArgumentsHost {
    return {
      getRequest: <T>() => this.request as T,
      getResponse: <T>() => this.response as T,
      getNext: <T>() => undefined as T,
    };
  }
  switchToRpc(): RpcArgumentsHost {
    throw new Error('The status page is an HTTP route');
  }
  switchToWs(): WsArgumentsHost {
    throw new Error('The status page is an HTTP route');
  }
}
