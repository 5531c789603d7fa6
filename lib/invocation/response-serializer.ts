import { lastValueFrom, of } from 'rxjs';
import { StartupExecutionContext } from '../discovery/nest-execution-context';
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
  const context = new StartupExecutionContext(handler.controller, handler.handler);
  for (const serializer of handler.serializers) {
    value = await lastValueFrom(await serializer.intercept(context, { handle: () => of(value) }), {
      defaultValue: undefined,
    });
  }
  const text = JSON.stringify(value) ?? 'null';
  return { value: JSON.parse(text), text };
}
