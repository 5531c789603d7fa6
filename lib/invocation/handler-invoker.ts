import type { ArgumentMetadata } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { RawValue } from '../domains/domain-values';
import type { ArgumentSpec } from '../domains/parameter-domains';

/**
 * Calls a handler for one combination the way a live request would: each
 * argument starts as the raw strings a URL carries and goes through the same
 * pipes (global, controller, handler, parameter), so the handler sees the same
 * types (a DTO instance, a number, an enum member) as it does live.
 */
export async function invokeHandler(handler: PrecomputedHandler, values: readonly RawValue[]): Promise<unknown> {
  const args: unknown[] = [];
  for (const spec of handler.args) {
    args[spec.index] = await transform(handler, spec, rawArgument(handler, spec, values));
  }
  const method = (handler.instance as Record<string, (...args: unknown[]) => unknown>)[handler.methodName];
  const result = await method.apply(handler.instance, args);
  return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
}

function rawArgument(handler: PrecomputedHandler, spec: ArgumentSpec, values: readonly RawValue[]): unknown {
  const { params } = handler.keys;
  if (spec.name !== undefined) {
    return values[params.findIndex((param) => param.name === spec.name && param.source === spec.source)];
  }
  // A whole @Query()/@Param() object holds every key of the request, as it does live
  const object: Record<string, string> = {};
  params.forEach((param, index) => {
    const value = values[index];
    if (param.source === spec.source && value !== undefined) object[param.name] = value;
  });
  return object;
}

async function transform(handler: PrecomputedHandler, spec: ArgumentSpec, raw: unknown): Promise<unknown> {
  const metadata: ArgumentMetadata = {
    type: spec.source === 'query' ? 'query' : 'param',
    metatype: spec.metatype,
    data: spec.name,
  };
  let value = raw;
  for (const pipe of [...handler.pipes, ...spec.pipes]) {
    value = await (pipe as { transform(value: unknown, metadata: ArgumentMetadata): unknown }).transform(value, metadata);
  }
  return value;
}
