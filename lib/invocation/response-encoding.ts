import { HttpException, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { EncodedResponse } from '../storage/cache-entry';

/** A value whose live answer cannot be reproduced from a stored body: refused, never served as something else. */
export class IrreproducibleShapeError extends Error {}

/**
 * What a client receives for a handler's result (after serializers), as both
 * adapters send it (see BodyKind): a StreamableFile's stream is read to the end.
 * Throws an IrreproducibleShapeError naming what cannot be reproduced.
 */
export async function encodeResult(value: unknown): Promise<EncodedResponse> {
  if (value instanceof StreamableFile) return encodeFile(value);
  return encodeValue(value);
}

/** `encodeResult` of anything but a StreamableFile, at once (throws an IrreproducibleShapeError). */
export function encodeValue(value: unknown): EncodedResponse {
  const shape = encodeSyncShape(value);
  if (shape) return shape;
  return { kind: 'json', body: jsonText(value) };
}

/** The shapes known without reading a stream; undefined for a JSON object. */
function encodeSyncShape(value: unknown): EncodedResponse | undefined {
  switch (typeof value) {
    case 'undefined':
      return { kind: 'undefined', body: '' };
    case 'string':
      return { kind: 'text', body: value };
    case 'number':
    case 'boolean':
      return { kind: 'scalar', body: String(value) };
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new IrreproducibleShapeError(`returned a ${typeof value}, which has no JSON form`);
  }
  if (value === null) return { kind: 'null', body: '' };
  if (Buffer.isBuffer(value)) return { kind: 'buffer', body: Buffer.from(value) };
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new IrreproducibleShapeError('returned a typed array, which the adapters send differently; return a Buffer (Buffer.from(array))');
  }
  if (value instanceof Readable || isWebStream(value)) {
    throw new IrreproducibleShapeError('returned a stream; return a StreamableFile (with its type and disposition) instead');
  }
  return undefined;
}

function jsonText(value: unknown): string {
  const text = JSON.stringify(value);
  // An object whose toJSON() returns undefined: Express sends nothing, Fastify fails
  if (text === undefined) throw new IrreproducibleShapeError('returned an object whose JSON form is undefined');
  return text;
}

async function encodeFile(file: StreamableFile): Promise<EncodedResponse> {
  const stream = file.getStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    else throw new IrreproducibleShapeError('returned a StreamableFile whose stream yields objects that are not bytes or text');
  }
  const headers = file.getHeaders();
  if (Array.isArray(headers.disposition)) throw new IrreproducibleShapeError('returned a StreamableFile with several Content-Disposition values');
  const type = headers.type ?? 'application/octet-stream';
  return {
    kind: 'file',
    body: Buffer.concat(chunks),
    file: {
      type,
      // Stryker disable next-line ConditionalExpression: a disposition field holding undefined reads as none everywhere (storedMeta, sameAnswer, the interceptor)
      ...(headers.disposition === undefined ? {} : { disposition: headers.disposition }),
      ...(headers.length === undefined ? {} : { length: Number(headers.length) }),
    },
  };
}

/**
 * The answer an HttpException with a 4xx status stands for, as Nest's own
 * exception filter sends it (`{ statusCode, message }` for a string response),
 * or undefined for anything else (a 5xx, an error that is not an HttpException).
 */
export function errorAnswer(error: unknown): EncodedResponse | undefined {
  if (!(error instanceof HttpException)) return undefined;
  const status = error.getStatus();
  if (!(status >= 400 && status < 500)) return undefined;
  const response = error.getResponse();
  const { errorCode } = error as { errorCode?: unknown };
  const body =
    typeof response === 'object' && response !== null
      ? response
      : // Stryker disable next-line ConditionalExpression: JSON.stringify leaves out a field whose value is undefined
        { statusCode: status, message: response, ...(errorCode === undefined ? {} : { errorCode }) };
  return { kind: 'json', body: jsonText(body), status };
}

function isWebStream(value: unknown): boolean {
  // Stryker disable next-line ConditionalExpression: ReadableStream is a global on every supported Node (>= 20.19)
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}
