import { StreamableFile } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { StartupExecutionContext } from '../discovery/nest-execution-context';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { RawValue } from '../domains/domain-values';
import { messages } from '../precompute.messages';
import type { EncodedResponse } from '../storage/cache-entry';
import { invokeHandler } from './handler-invoker';
import { encodeResult, encodeValue, errorAnswer, IrreproducibleShapeError } from './response-encoding';

/**
 * Turns what a handler returned into what a client receives: the serializer
 * interceptors that wrap the route (ClassSerializerInterceptor, so
 * `@Exclude()` fields never reach the cache), then the body as the adapters
 * send it (JSON for objects and Dates, text, bytes; see `encodeResult`).
 * Throws an Error naming the handler when the shape cannot be reproduced.
 */
export async function toResponse(
  handler: Pick<PrecomputedHandler, 'serializers' | 'controller' | 'handler' | 'name'>,
  result: unknown,
): Promise<EncodedResponse> {
  let value = result;
  if (handler.serializers.length > 0) {
    const context = new StartupExecutionContext(handler.controller, handler.handler);
    for (const serializer of handler.serializers) {
      try {
        value = await lastValueFrom(await serializer.intercept(context, { handle: () => of(value) }), {
          defaultValue: undefined,
        });
      } catch (error) {
        // A subclass that reads the request or response finds none here: say so rather than leave a bare TypeError
        throw new Error(messages.serializerFailed(handler.name, serializer.constructor.name, error instanceof Error ? error.message : String(error)));
      }
    }
  }
  try {
    // Only a file's stream is read asynchronously: anything else is encoded without a turn of the microtask queue
    return value instanceof StreamableFile ? await encodeResult(value) : encodeValue(value);
  } catch (error) {
    if (error instanceof IrreproducibleShapeError) throw new Error(messages.cannotReproduce(handler.name, error.message));
    throw error;
  }
}

/**
 * Computes one combination: calls the handler as a live request would and
 * serializes its result. An HttpException with a 4xx status is an answer too
 * (stored with its status) when `clientErrors` is set and no exception filter
 * could change how it is sent; anything else thrown is a failure.
 */
export async function computeResponse(handler: PrecomputedHandler, values: readonly RawValue[], clientErrors: boolean): Promise<EncodedResponse> {
  let result: unknown;
  try {
    result = await invokeHandler(handler, values);
  } catch (error) {
    const answer = clientErrors && !handler.filtered ? errorAnswer(error) : undefined;
    if (answer) return answer;
    throw error;
  }
  return toResponse(handler, result);
}
