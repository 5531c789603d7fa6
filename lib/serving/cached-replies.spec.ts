import { describe, expect, it } from '@jest/globals';
import { HttpException, StreamableFile } from '@nestjs/common';
import { entryOf, type EncodedResponse } from '../storage/cache-entry';
import { earlyReply, nestReplyValue, withCharset } from './cached-replies';

const entry = (response: EncodedResponse) => entryOf('GET /x', response);
const headers = (reply: ReturnType<typeof earlyReply>) => Object.fromEntries(reply?.headers ?? []);

describe('cached replies', () => {
  it('sets charset=utf-8 as Express does for text', () => {
    expect(withCharset('text/csv')).toBe('text/csv; charset=utf-8');
    expect(withCharset('text/csv; charset=latin1; header=present')).toBe('text/csv; header=present; charset=utf-8');
  });

  it('early path: JSON on both adapters, with the route status and headers', () => {
    const reply = earlyReply(entry({ kind: 'json', body: '{"a":1}' }), 'fastify', 201, [['X-Route', 'r']]);
    expect(reply?.status).toBe(201);
    expect(headers(reply)).toEqual({ 'X-Route': 'r', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '7' });
    expect(reply?.body?.toString()).toBe('{"a":1}');
  });

  it('early path: text, numbers, null and Buffers follow each adapter', () => {
    const text = entry({ kind: 'text', body: 'ü' });
    expect(headers(earlyReply(text, 'express', 200, []))['Content-Type']).toBe('text/html; charset=utf-8');
    expect(headers(earlyReply(text, 'fastify', 200, []))['Content-Type']).toBe('text/plain; charset=utf-8');
    expect(headers(earlyReply(text, 'express', 200, []))['Content-Length']).toBe('2');
    const csv: Array<[string, string]> = [['Content-Type', 'text/csv']];
    expect(headers(earlyReply(text, 'express', 200, csv))['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(headers(earlyReply(text, 'fastify', 200, csv))['Content-Type']).toBe('text/csv');
    const number = entry({ kind: 'scalar', body: '42' });
    expect(headers(earlyReply(number, 'express', 200, []))['Content-Type']).toBe('text/html; charset=utf-8');
    expect(headers(earlyReply(number, 'fastify', 200, []))['Content-Type']).toBe('application/json; charset=utf-8');
    expect(earlyReply(entry({ kind: 'null', body: '' }), 'express', 200, [])).toEqual({ status: 200, headers: [] });
    expect(earlyReply(entry({ kind: 'null', body: '' }), 'fastify', 200, [])?.body?.toString()).toBe('null');
    const buffer = entry({ kind: 'buffer', body: Buffer.from([1, 2]) });
    expect(earlyReply(buffer, 'express', 200, [])?.body?.toString()).toBe('{"type":"Buffer","data":[1,2]}');
    expect(earlyReply(buffer, 'fastify', 200, [])?.body).toEqual(Buffer.from([1, 2]));
    expect(headers(earlyReply(buffer, 'fastify', 200, []))['Content-Type']).toBe('application/octet-stream');
  });

  it('early path: a file with its headers; a file of unknown length is left to Nest', () => {
    const file = entry({ kind: 'file', body: Buffer.from('%PDF'), file: { type: 'application/pdf', disposition: 'attachment', length: 4 } });
    expect(headers(earlyReply(file, 'express', 200, []))).toEqual({ 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment', 'Content-Length': '4' });
    expect(earlyReply(entry({ kind: 'file', body: Buffer.from('x'), file: { type: 'text/plain' } }), 'fastify', 200, [])).toBeUndefined();
  });

  it('early path: a 4xx answer keeps its status', () => {
    expect(earlyReply(entry({ kind: 'json', body: '{}', status: 404 }), 'express', 200, [])?.status).toBe(404);
  });

  it('interceptor path: hands Nest a value of the live shape', () => {
    let typed = 0;
    const setType = () => typed++;
    expect(nestReplyValue(entry({ kind: 'json', body: '{"a":1}' }), true, setType)).toBe('{"a":1}');
    expect(typed).toBe(1);
    expect(nestReplyValue(entry({ kind: 'json', body: '{"a":1}' }), false, setType)).toEqual({ a: 1 });
    expect(nestReplyValue(entry({ kind: 'scalar', body: 'true' }), true, setType)).toBe(true);
    expect(nestReplyValue(entry({ kind: 'text', body: 'hi' }), true, setType)).toBe('hi');
    expect(nestReplyValue(entry({ kind: 'null', body: '' }), true, setType)).toBeNull();
    expect(nestReplyValue(entry({ kind: 'undefined', body: '' }), true, setType)).toBeUndefined();
    const file = nestReplyValue(entry({ kind: 'file', body: Buffer.from('x'), file: { type: 'text/plain', length: 1 } }), true, setType);
    expect(file).toBeInstanceOf(StreamableFile);
    expect((file as StreamableFile).getHeaders()).toMatchObject({ type: 'text/plain', length: 1 });
    expect(() => nestReplyValue(entry({ kind: 'json', body: '{"statusCode":404}', status: 404 }), true, setType)).toThrow(HttpException);
    expect(typed).toBe(1);
  });
});
