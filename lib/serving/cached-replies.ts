import { HttpException, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { entryText, entryValue, type CacheEntry } from '../storage/cache-entry';

/** The HTTP adapters whose sending rules the early path reproduces. */
export type AdapterKind = 'express' | 'fastify';

/** What the early path writes for a hit: status, headers, body (also for HEAD: Node drops it and keeps Content-Length). */
export interface EarlyReply {
  readonly status: number;
  readonly headers: ReadonlyArray<[string, string]>;
  /**
   * Undefined: no body and no Content-Length (as live, the adapter or Node adds what it adds for no body).
   * Text goes as a string: Node then writes the headers and a small body in one write.
   */
  readonly body?: Buffer | string;
  /** Accept-Encoding is added to the response's Vary (the body has other encodings). */
  readonly varies?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** Text bodies up to this many characters go to Node as strings (sent with the headers in one write), larger ones as bytes. */
const STRING_BODY_LIMIT = 16 * 1024;

/**
 * What the interceptor hands back to Nest for a hit, so that the adapter sends
 * it exactly as it sends the live value: a value of the same shape (a string,
 * a number, a Buffer, a StreamableFile with the same headers, null), or for a
 * JSON body its prebuilt text (`prebuilt`, with `setJsonType` called when no
 * Content-Type is set) or, for interceptors that wrap the route, a fresh
 * object parsed from it. A 4xx answer is thrown as the HttpException it was,
 * so Nest's exception layer sends it as it did live.
 */
export function nestReplyValue(entry: CacheEntry, prebuilt: boolean, setJsonType: () => void): unknown {
  if (entry.status !== undefined) {
    throw new HttpException(JSON.parse(entryText(entry)) as Record<string, unknown>, entry.status);
  }
  switch (entry.kind) {
    case 'json':
      if (!prebuilt) return entryValue(entry);
      setJsonType();
      return entryText(entry);
    case 'file': {
      const bytes = entry.body as Buffer;
      const { type, disposition, length } = entry.file ?? {};
      // Without a declared length the live file went out chunked: a stream source does the same
      const options = { type, disposition, length };
      return length === undefined ? new StreamableFile(Readable.from([bytes]), options) : new StreamableFile(bytes, options);
    }
    case 'buffer':
      return entry.body;
    default:
      return entryValue(entry);
  }
}

/**
 * The status, headers and body of a hit on the early path, as each adapter
 * sends the live value (`routeHeaders` are the handler's `@Header()`s), or
 * undefined for a shape the early path leaves to Nest (a file of unknown
 * length, which goes out chunked).
 */
export function earlyReply(
  entry: CacheEntry,
  adapter: AdapterKind,
  routeStatus: number,
  routeHeaders: ReadonlyArray<[string, string]>,
  /** The body in the negotiated Content-Encoding, for a text kind (see TEXT_KINDS). */
  encoded?: Buffer,
): EarlyReply | undefined {
  const route = routeShape(routeHeaders);
  const custom = route.contentType;
  const express = adapter === 'express';
  const status = entry.status ?? routeStatus;
  const text = (body: string | Buffer, type: string | undefined): EarlyReply => {
    if (encoded) return withBody(status, route, type, encoded, encoded.length);
    // A large body is held as bytes already (heldBody): sent as they are
    if (typeof body !== 'string') return withBody(status, route, type, body, body.length);
    // Node writes a string body joined to the headers (one write, but a copy of both): worth it for small bodies only
    if (body.length <= STRING_BODY_LIMIT) return withBody(status, route, type, body, Buffer.byteLength(body));
    const bytes = Buffer.from(body);
    return withBody(status, route, type, bytes, bytes.length);
  };
  switch (entry.kind) {
    case 'json':
    case 'text':
    case 'scalar':
      return text(entry.body, textType(entry.kind, adapter, custom));
    case 'null':
      // Express sends nothing for null; Fastify serializes it
      return express ? { status, headers: routeHeaders } : text('null', custom ?? JSON_TYPE);
    case 'undefined':
      // Both send an empty body with no type (Node, or Fastify, adds the Content-Length the live answer has)
      return { status, headers: routeHeaders };
    case 'buffer':
      // Express's Nest adapter sends a Buffer as JSON ({"type":"Buffer","data":[...]}), Fastify as bytes
      return express
        ? text(JSON.stringify(entry.body), withCharset(custom ?? 'application/json'))
        : withBody(status, route, custom ?? 'application/octet-stream', entry.body as Buffer, (entry.body as Buffer).length);
    case 'file': {
      const { type, disposition, length } = entry.file ?? {};
      if (length === undefined) return undefined;
      const fileRoute =
        disposition !== undefined && !routeHeaders.some(([name]) => name.toLowerCase() === 'content-disposition')
          ? shapeOf([...routeHeaders, ['Content-Disposition', disposition]])
          : route;
      return withBody(status, fileRoute, custom ?? type ?? 'application/octet-stream', entry.body as Buffer, length);
    }
  }
}

/** A route's `@Header()`s as a hit needs them: its Content-Type, and the others. */
interface RouteShape {
  readonly contentType: string | undefined;
  readonly others: ReadonlyArray<[string, string]>;
}

/** Per route (its headers array is made once): found once, not on every hit. */
const routeShapes = new WeakMap<ReadonlyArray<[string, string]>, RouteShape>();

function routeShape(routeHeaders: ReadonlyArray<[string, string]>): RouteShape {
  let shape = routeShapes.get(routeHeaders);
  if (!shape) {
    shape = shapeOf(routeHeaders);
    routeShapes.set(routeHeaders, shape);
  }
  return shape;
}

function shapeOf(headers: ReadonlyArray<[string, string]>): RouteShape {
  return {
    contentType: headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1],
    others: headers.filter(([name]) => name.toLowerCase() !== 'content-type'),
  };
}

/** The kinds whose body is text both adapters send as it is stored: the ones worth keeping compressed. */
export const TEXT_KINDS: ReadonlySet<CacheEntry['kind']> = new Set(['json', 'text', 'scalar']);

/** The Content-Type each adapter gives a text kind's body (`custom`: the route's own `@Header('Content-Type')`). */
export function textType(kind: CacheEntry['kind'], adapter: AdapterKind, custom: string | undefined): string {
  if (adapter === 'express') {
    if (custom === undefined) return kind === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
    return withCharset(custom);
  }
  return custom ?? (kind === 'text' ? 'text/plain; charset=utf-8' : JSON_TYPE);
}

function withBody(status: number, route: RouteShape, type: string | undefined, body: Buffer | string, length: number): EarlyReply {
  const headers = [...route.others];
  if (type !== undefined) headers.push(['Content-Type', type]);
  headers.push(['Content-Length', String(length)]);
  return { status, headers, body };
}

/** Express's `res.send()` of text: the type with `charset=utf-8` set. */
export function withCharset(type: string): string {
  const parts = type.split(';').map((part) => part.trim());
  const rest = parts.slice(1).filter((part) => part !== '' && !/^charset=/i.test(part));
  return [parts[0], ...rest, 'charset=utf-8'].join('; ');
}
