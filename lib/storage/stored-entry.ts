import { entryText, heldBody, type BodyKind, type CacheEntry, type FileHeaders } from './cache-entry';
import { ByteSink } from './byte-sink';
import { writeIndentedJson } from './json-indent';

/**
 * How an entry is written in the cache file, a journal line or Redis, and read
 * back. A JSON body is written as its value (readable, editable); a string as
 * a string; bytes as text when they are UTF-8 text, else as base64 with
 * `"encoding": "base64"`. Fields at their default are left out, so an entry
 * of a JSON object looks as it always did:
 *
 * ```json
 * { "computedAt": "...", "hash": "sha256-...", "value": { ... } }
 * { "kind": "file", "contentType": "application/pdf", "contentDisposition": "attachment; filename=\"r.pdf\"",
 *   "contentLength": 26, "encoding": "base64", "computedAt": "...", "hash": "...", "value": "JVBERi0x..." }
 * { "status": 404, "computedAt": "...", "hash": "...", "value": { "statusCode": 404, "message": "..." } }
 * ```
 */
const KINDS: readonly BodyKind[] = ['json', 'text', 'scalar', 'null', 'undefined', 'buffer', 'file'];

/** A stored entry that cannot be read, with what is wrong with it. */
export class StoredEntryError extends Error {}

/** The fields written before `value`, in order, with defaults left out. */
export function storedMeta(entry: CacheEntry): Record<string, string | number> {
  const meta: Record<string, string | number> = {};
  if (entry.status !== undefined) meta.status = entry.status;
  if (entry.kind !== 'json') meta.kind = entry.kind;
  if (entry.file?.type !== undefined) meta.contentType = entry.file.type;
  if (entry.file?.disposition !== undefined) meta.contentDisposition = entry.file.disposition;
  if (entry.file?.length !== undefined) meta.contentLength = entry.file.length;
  // Only bytes may need base64: a JSON or text body held as bytes is UTF-8 text
  if ((entry.kind === 'buffer' || entry.kind === 'file') && typeof entry.body !== 'string' && !isText(entry.body)) meta.encoding = 'base64';
  return meta;
}

/** The compact JSON text of the stored `value` (the file's indented form is `writeStoredValue`'s). */
export function storedValueText(entry: CacheEntry): string {
  const { body } = entry;
  switch (entry.kind) {
    case 'json':
    case 'scalar':
      // The body is the compact JSON already
      return entryText(entry);
    case 'text':
      return JSON.stringify(entryText(entry));
    case 'null':
    case 'undefined':
      return 'null';
    case 'buffer':
    case 'file': {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return JSON.stringify(isText(bytes) ? bytes.toString('utf8') : bytes.toString('base64'));
    }
  }
}

/** The last time `storedTime` formatted: the entries of a run share their milliseconds by the dozen. */
let lastTime = { ms: Number.NaN, text: '' };

/** `computedAt` as it is stored (ISO 8601, UTC). */
export function storedTime(ms: number): string {
  if (ms !== lastTime.ms) lastTime = { ms, text: new Date(ms).toISOString() };
  return lastTime.text;
}

/** The last text `parseStoredTime` read. */
let lastParsed = { text: '', ms: Number.NaN };

/** `Date.parse` of a stored `computedAt` (NaN when it is not a date); an entry's neighbours in the file share it by the dozen. */
export function parseStoredTime(text: string): number {
  if (text !== lastParsed.text) lastParsed = { text, ms: Date.parse(text) };
  return lastParsed.ms;
}

/** A JSON body held as text is encoded here once, to be indented from its bytes. */
const compactBytes = new ByteSink();

/**
 * `storedValueText`, encoded straight into `sink` (the cache file and the
 * journal are written this way: no string of the entry is built first).
 */
export function writeStoredValue(sink: ByteSink, entry: CacheEntry, indent?: number, baseIndent = 0): void {
  const { body } = entry;
  if (entry.kind !== 'json' && entry.kind !== 'scalar') return sink.text(storedValueText(entry));
  if (!indent) return typeof body === 'string' ? sink.text(body) : sink.bytes(body);
  if (typeof body !== 'string') return writeIndentedJson(sink, body, indent, baseIndent);
  compactBytes.clear();
  compactBytes.text(body);
  writeIndentedJson(sink, compactBytes.view(), indent, baseIndent);
}

/**
 * The compact JSON text of a stored entry (a journal line, a Redis value),
 * after the fields of `head`; the body is spliced in, never parsed.
 */
export function storedJson(entry: CacheEntry, head: Record<string, unknown> = {}): string {
  const fields = JSON.stringify({
    ...head,
    ...storedMeta(entry),
    computedAt: storedTime(entry.computedAt),
    version: entry.version,
    hash: entry.hash,
  });
  return `${fields.slice(0, -1)},"value":${storedValueText(entry)}}`;
}

/**
 * Reads the response fields of a stored entry (`value` and what says how to read it), or throws a StoredEntryError.
 * `jsonBody`: the compact JSON of a JSON `value`, when the caller has it already (then `value` is not read).
 */
export function readStoredResponse(key: string, raw: Record<string, unknown>, jsonBody?: string | Buffer): Pick<CacheEntry, 'kind' | 'body' | 'status' | 'file'> {
  const kind = raw.kind === undefined ? 'json' : raw.kind;
  if (!KINDS.includes(kind as BodyKind)) {
    throw new StoredEntryError(`entry "${key}" has an unknown "kind" ${JSON.stringify(raw.kind)} (known: ${KINDS.join(', ')})`);
  }
  if (raw.status !== undefined && !(Number.isInteger(raw.status) && (raw.status as number) >= 100 && (raw.status as number) <= 599)) {
    throw new StoredEntryError(`entry "${key}" has a "status" that is not an HTTP status`);
  }
  if (raw.encoding !== undefined && raw.encoding !== 'base64') {
    throw new StoredEntryError(`entry "${key}" has an unknown "encoding" ${JSON.stringify(raw.encoding)} (only "base64")`);
  }
  const value = raw.value;
  let body: string | Buffer;
  switch (kind as BodyKind) {
    case 'json':
    case 'scalar':
      if (kind === 'scalar' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new StoredEntryError(`entry "${key}" is of kind "scalar" but its value is not a number or boolean`);
      }
      body = (kind === 'json' ? jsonBody : undefined) ?? JSON.stringify(value) ?? 'null';
      break;
    case 'text':
      if (typeof value !== 'string') throw new StoredEntryError(`entry "${key}" is of kind "text" but its value is not a string`);
      body = value;
      break;
    case 'null':
    case 'undefined':
      body = '';
      break;
    default:
      if (typeof value !== 'string') throw new StoredEntryError(`entry "${key}" is of kind "${String(kind)}" but its value is not a string`);
      body = Buffer.from(value, raw.encoding === 'base64' ? 'base64' : 'utf8');
  }
  const file = kind === 'file' ? readFileHeaders(key, raw) : undefined;
  return {
    kind: kind as BodyKind,
    body: heldBody(kind as BodyKind, body),
    ...(raw.status === undefined ? {} : { status: raw.status as number }),
    ...(file ? { file } : {}),
  };
}

function readFileHeaders(key: string, raw: Record<string, unknown>): FileHeaders {
  for (const field of ['contentType', 'contentDisposition'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') throw new StoredEntryError(`entry "${key}" has a "${field}" that is not a string`);
  }
  if (raw.contentLength !== undefined && !(Number.isInteger(raw.contentLength) && (raw.contentLength as number) >= 0)) {
    throw new StoredEntryError(`entry "${key}" has a "contentLength" that is not a whole number`);
  }
  return {
    ...(raw.contentType === undefined ? {} : { type: raw.contentType as string }),
    ...(raw.contentDisposition === undefined ? {} : { disposition: raw.contentDisposition as string }),
    ...(raw.contentLength === undefined ? {} : { length: raw.contentLength as number }),
  };
}

/** Bytes that are UTF-8 text a person can read and edit: they survive a round trip and hold no control characters but tab, CR, LF. */
function isText(bytes: Buffer): boolean {
  // eslint-disable-next-line no-control-regex
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(bytes.toString('utf8'));
}
