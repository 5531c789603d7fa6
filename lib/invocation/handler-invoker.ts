import { HttpException, type ArgumentMetadata, type Type } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { RawValue } from '../domains/domain-values';
import type { ArgumentSpec } from '../domains/parameter-domains';
import { messages } from '../precompute.messages';

/**
 * Calls a handler for one combination the way a live request would: each
 * argument starts as the raw strings a URL carries and goes through the same
 * pipes (global, controller, handler, parameter), so the handler sees the same
 * types (a DTO instance, a number, an enum member) as it does live.
 */
export async function invokeHandler(handler: PrecomputedHandler, values: readonly RawValue[]): Promise<unknown> {
  const args: unknown[] = [];
  for (const spec of handler.args) {
    const raw = rawArgument(handler, spec, values);
    // No pipe (a plain @Query('x') string): no call, and no await, per combination
    args[spec.index] = handler.pipes.length === 0 && spec.pipes.length === 0 ? raw : await transform(handler, spec, raw);
  }
  const method = (handler.instance as Record<string, (...args: unknown[]) => unknown>)[handler.methodName];
  const returned = method.apply(handler.instance, args);
  const result = isThenable(returned) ? await returned : returned;
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
  try {
    for (const pipes of [handler.pipes, spec.pipes]) {
      for (const pipe of pipes) {
        const transformed = (pipe as { transform(value: unknown, metadata: ArgumentMetadata): unknown }).transform(value, metadata);
        value = isThenable(transformed) ? await transformed : transformed;
      }
    }
  } catch (error) {
    // The values were generated from the handler's own domain: a pipe refusing one is a setup
    // mistake (a DTO without a conversion), a failure to report, never an answer to store
    throw new Error(messages.pipeRefusedGeneratedValue(handler.name, describeArgument(spec), JSON.stringify(raw), refusal(error)));
  }
  return value;
}

function describeArgument(spec: ArgumentSpec): string {
  const decorator = spec.source === 'query' ? '@Query' : '@Param';
  if (spec.name !== undefined) return `${decorator}('${spec.name}')`;
  const type = spec.metatype as Type | undefined;
  return `${decorator}()${type?.name ? ` ${type.name}` : ''}`;
}

function refusal(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const detail = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
    return `${error.getStatus()}: ${Array.isArray(detail) ? detail.join('; ') : String(detail)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A promise or any thenable: awaited; any other value is used as it is, without a turn of the microtask queue. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
