import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, InternalServerErrorException, NotFoundException, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { encodeResult, errorAnswer, IrreproducibleShapeError } from './response-encoding';

describe('encoding what a handler returned', () => {
  it('gives each shape its kind and the body a client receives', async () => {
    expect(await encodeResult({ when: new Date(0), gone: undefined })).toEqual({ kind: 'json', body: '{"when":"1970-01-01T00:00:00.000Z"}' });
    expect(await encodeResult(new Date(0))).toEqual({ kind: 'json', body: '"1970-01-01T00:00:00.000Z"' });
    expect(await encodeResult([1, null])).toEqual({ kind: 'json', body: '[1,null]' });
    expect(await encodeResult('a,b')).toEqual({ kind: 'text', body: 'a,b' });
    expect(await encodeResult(0)).toEqual({ kind: 'scalar', body: '0' });
    expect(await encodeResult(true)).toEqual({ kind: 'scalar', body: 'true' });
    expect(await encodeResult(null)).toEqual({ kind: 'null', body: '' });
    expect(await encodeResult(undefined)).toEqual({ kind: 'undefined', body: '' });
    expect(await encodeResult(Buffer.from([1]))).toEqual({ kind: 'buffer', body: Buffer.from([1]) });
  });

  it('reads a StreamableFile to the end, with its headers (the length only when declared)', async () => {
    const bytes = Buffer.from('%PDF');
    expect(await encodeResult(new StreamableFile(bytes, { type: 'application/pdf', disposition: 'inline' }))).toEqual({
      kind: 'file',
      body: bytes,
      file: { type: 'application/pdf', disposition: 'inline', length: 4 },
    });
    expect(await encodeResult(new StreamableFile(Readable.from(['a', Buffer.from('b')])))).toEqual({
      kind: 'file',
      body: Buffer.from('ab'),
      file: { type: 'application/octet-stream' },
    });
  });

  it('refuses shapes it cannot reproduce', async () => {
    await expect(encodeResult(BigInt(1))).rejects.toThrow(IrreproducibleShapeError);
    await expect(encodeResult(() => 1)).rejects.toThrow('has no JSON form');
    await expect(encodeResult(new Uint8Array([1]))).rejects.toThrow('return a Buffer');
    await expect(encodeResult(Readable.from(['x']))).rejects.toThrow('return a StreamableFile');
    await expect(encodeResult({ toJSON: () => undefined })).rejects.toThrow('JSON form is undefined');
    await expect(encodeResult(new StreamableFile(Readable.from([{ not: 'bytes' }])))).rejects.toThrow('yields objects');
  });

  it('a 4xx HttpException is an answer, as Nest sends it; a 5xx or another error is not', () => {
    expect(errorAnswer(new NotFoundException('no data'))).toEqual({
      kind: 'json',
      status: 404,
      body: JSON.stringify({ message: 'no data', error: 'Not Found', statusCode: 404 }),
    });
    expect(errorAnswer(new HttpException('gone', 410))).toEqual({ kind: 'json', status: 410, body: '{"statusCode":410,"message":"gone"}' });
    expect(errorAnswer(new BadRequestException())?.status).toBe(400);
    expect(errorAnswer(new InternalServerErrorException())).toBeUndefined();
    expect(errorAnswer(new Error('boom'))).toBeUndefined();
  });
});

describe('encoding, the rarer shapes', () => {
  it('refuses each shape with what to do instead', async () => {
    await expect(encodeResult(BigInt(1))).rejects.toThrow('returned a bigint, which has no JSON form');
    await expect(encodeResult(Symbol('s'))).rejects.toThrow('returned a symbol, which has no JSON form');
    await expect(encodeResult(new ArrayBuffer(1))).rejects.toThrow('returned a typed array, which the adapters send differently; return a Buffer (Buffer.from(array))');
    await expect(encodeResult(new ReadableStream())).rejects.toThrow('returned a stream; return a StreamableFile (with its type and disposition) instead');
    await expect(encodeResult(new StreamableFile(Buffer.from('x'), { disposition: ['a', 'b'] }))).rejects.toThrow('several Content-Disposition values');
  });

  it('copies a Buffer, so a handler that reuses its buffer cannot change what is cached', async () => {
    const bytes = Buffer.from('abc');
    const encoded = await encodeResult(bytes);
    bytes.write('xyz');
    expect(encoded.body).toEqual(Buffer.from('abc'));
  });

  it('reads a file whose stream yields Uint8Arrays', async () => {
    const encoded = await encodeResult(new StreamableFile(Readable.from([new Uint8Array([104, 105])])));
    expect(encoded.body).toEqual(Buffer.from('hi'));
  });

  it('answers every 4xx, not a 3xx', () => {
    expect(errorAnswer(new HttpException('teapot', 418))?.status).toBe(418);
    expect(errorAnswer(new HttpException('late', 499))?.status).toBe(499);
    expect(errorAnswer(new HttpException('moved', 302))).toBeUndefined();
    expect(errorAnswer(new HttpException('weird', 399))).toBeUndefined();
  });

  it('keeps an object response as is, and the errorCode of a string response, as Nest sends them', () => {
    expect(errorAnswer(new HttpException({ reason: 'x' }, 409))?.body).toBe('{"reason":"x"}');
    expect(errorAnswer(new HttpException('gone', 410, { errorCode: 'E_GONE' }))?.body).toBe('{"statusCode":410,"message":"gone","errorCode":"E_GONE"}');
  });
});

describe('errorAnswer, null responses', () => {
  it('sends a null response as Nest does: status and a null message', () => {
    expect(errorAnswer(new HttpException(null as unknown as string, 404))?.body).toBe('{"statusCode":404,"message":null}');
  });
});
