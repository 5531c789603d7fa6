import type { ArgumentsHost, ExecutionContext, Type } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';

/** A response as JSON: the value, and its compact text (the body a client receives). */
export interface ResponseJson {
  readonly value: unknown;
  readonly text: string;
}

/**
 * Turns what a handler returned into the JSON value a client receives: the
 * serializer interceptors that wrap the route (ClassSerializerInterceptor, so
 * `@Exclude()` fields never reach the cache), then JSON (Dates as ISO strings,
 * `undefined` dropped, `toJSON()` applied).
 */
export async function toResponseJson(
  handler: Pick<PrecomputedHandler, 'serializers' | 'controller' | 'handler'>,
  result: unknown,
): Promise<ResponseJson> {
  let value = result;
  const context = new SerializationContext(handler.controller, handler.handler);
  for (const serializer of handler.serializers) {
    value = await lastValueFrom(await serializer.intercept(context, { handle: () => of(value) }), {
      defaultValue: undefined,
    });
  }
  const text = JSON.stringify(value) ?? 'null';
  return { value: JSON.parse(text), text };
}

/**
 * The execution context serializers see when a value is computed at startup:
 * the real controller class and handler (their `@SerializeOptions()` apply),
 * and no request.
 */
class SerializationContext implements ExecutionContext {
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

