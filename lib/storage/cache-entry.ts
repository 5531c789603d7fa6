import { hash } from 'node:crypto';

/**
 * What a handler returned, which decides how each HTTP adapter sends the body
 * (Express and Fastify differ for strings, numbers, null and Buffers):
 * - `json`: an object, array or Date, sent as JSON by both adapters;
 * - `text`: a string;
 * - `scalar`: a number or boolean (`body` is its JSON text);
 * - `null`, `undefined`: no value (`body` is empty);
 * - `buffer`: a Buffer (`body` holds its bytes);
 * - `file`: a StreamableFile (`body` holds its bytes, `file` its headers).
 */
export type BodyKind = 'json' | 'text' | 'scalar' | 'null' | 'undefined' | 'buffer' | 'file';

/** The headers a StreamableFile declared. */
export interface FileHeaders {
  readonly type?: string;
  readonly disposition?: string;
  /** Present only when the file declared it: without it both adapters send the body chunked. */
  readonly length?: number;
}

/** A response as computed: everything an entry holds but its key and bookkeeping. */
export interface EncodedResponse {
  readonly kind: BodyKind;
  /**
   * Text (sent as UTF-8) for `json`, `text`, `scalar`, `null`, `undefined`; bytes for `buffer` and `file`,
   * and for a `json` or `text` body of `TEXT_AS_BYTES` characters or more, its UTF-8 text (`heldBody`).
   */
  readonly body: string | Buffer;
  /** The status of an answer given as an HttpException (a 4xx); undefined: the route's own status. */
  readonly status?: number;
  readonly file?: FileHeaders;
}

/**
 * One precomputed answer. The serialized body is the one copy of the value in
 * memory: the object is parsed from it only when something needs it (`entryValue`).
 */
export interface CacheEntry extends EncodedResponse {
  /** The request it answers, e.g. `GET /sales-report?store_id=101&subregion=EMEA`. */
  readonly key: string;
  /** When it was computed (epoch ms); 0 when unknown (an entry a person added). */
  readonly computedAt: number;
  /** Hash of the body as computed; a body a person edited no longer matches it. */
  readonly hash: string;
  /** `@Precomputed({ version })` of the handler that computed it. */
  readonly version?: string;
}

/** A content hash of a text (as UTF-8) or of bytes: `sha256-<base64url>`. */
export function hashText(text: string | Buffer): string {
  return `sha256-${hash('sha256', text, 'base64url')}`;
}

const editedCache = new WeakMap<CacheEntry, boolean>();

/** Whether a person changed the body since it was computed (memoized per entry). */
export function isEdited(entry: CacheEntry): boolean {
  let edited = editedCache.get(entry);
  if (edited === undefined) {
    edited = entry.hash !== hashText(entry.body);
    editedCache.set(entry, edited);
  }
  return edited;
}

/** Text bodies of at least this many characters are held as their UTF-8 bytes (see `heldBody`). */
export const TEXT_AS_BYTES = 16 * 1024;

/**
 * The one form an entry keeps its body in: a large JSON or text body as its
 * UTF-8 bytes, which the early path sends as they are (a string is encoded
 * again on every request), anything smaller as it is.
 */
export function heldBody(kind: BodyKind, body: string | Buffer): string | Buffer {
  return (kind === 'json' || kind === 'text') && typeof body === 'string' && body.length >= TEXT_AS_BYTES ? Buffer.from(body) : body;
}

/** A new entry for a computed response. */
export function entryOf(key: string, response: EncodedResponse, version?: string, computedAt = Date.now()): CacheEntry {
  const body = heldBody(response.kind, response.body);
  return {
    key,
    kind: response.kind,
    body,
    computedAt,
    hash: hashText(body),
    ...(response.status === undefined ? {} : { status: response.status }),
    ...(response.file === undefined ? {} : { file: response.file }),
    ...(version === undefined ? {} : { version }),
  };
}

/** A new entry whose body is the JSON of `value` (an object, array or Date, as a handler returns it). */
export function createEntry(key: string, value: unknown, version?: string, computedAt = Date.now()): CacheEntry {
  return entryOf(key, { kind: 'json', body: JSON.stringify(value) ?? 'null' }, version, computedAt);
}

/** The body as text: JSON for `json`/`scalar` entries (what a journal line or Redis holds). */
export function entryText(entry: CacheEntry): string {
  return typeof entry.body === 'string' ? entry.body : entry.body.toString('utf8');
}

/**
 * The value an entry stands for, made from its body on demand (for
 * `PrecomputeService.get` and interceptors that wrap a cached route): the
 * parsed JSON, the string, a copy of the bytes of a Buffer or file.
 */
export function entryValue(entry: CacheEntry): unknown {
  switch (entry.kind) {
    case 'json':
    case 'scalar':
      return JSON.parse(entryText(entry));
    case 'text':
      return entryText(entry);
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'buffer':
    case 'file':
      return Buffer.from(entry.body);
  }
}

/** Whether two entries answer alike: same body, kind, status and file headers. */
export function sameAnswer(a: EncodedResponse, b: EncodedResponse): boolean {
  const sameBody = typeof a.body === 'string' && typeof b.body === 'string' ? a.body === b.body : Buffer.from(a.body).equals(Buffer.from(b.body));
  return (
    sameBody &&
    a.kind === b.kind &&
    a.status === b.status &&
    a.file?.type === b.file?.type &&
    a.file?.disposition === b.file?.disposition &&
    a.file?.length === b.file?.length
  );
}
