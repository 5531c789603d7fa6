import { hashText, TEXT_AS_BYTES } from '../cache-entry';
import { jsonStringEnd as stringEnd, plainJsonString } from './json-string-bytes';

/**
 * The fast read of a JSON entry as this module wrote it, which nobody has
 * edited since: its `value`'s bytes, with the whitespace between tokens taken
 * out, are the compact body, and they hash to the entry's `hash`. Then the
 * body is those bytes, and the value is never parsed nor stringified again
 * (a warm start of many entries spends most of its time there otherwise).
 *
 * Anything else (an edited value, another kind of body, a field this fast
 * read does not know how to skip, a duplicate field) returns undefined, and
 * the reader parses the entry whole, with its checks and error positions.
 * The hash is what makes this safe: bytes that hash to a body this module
 * produced with JSON.stringify are valid, compact JSON of that same value.
 */
export interface WrittenEntry {
  /** The entry's fields but `value`, parsed. */
  readonly fields: Record<string, unknown>;
  /** The compact JSON of `value`, as it was computed: text, or for a large body its bytes (`heldBody`). */
  readonly body: string | Buffer;
}

const QUOTE = 0x22;

/** Returns the entry's fields and compact body, or undefined when the entry needs a full parse. */
export function readWrittenEntry(bytes: Buffer): WrittenEntry | undefined {
  const fields = Object.create(null) as Record<string, unknown>;
  let body: Buffer | undefined;
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== 0x7b) return undefined;
  i = skipSpace(bytes, i + 1);
  while (bytes[i] === QUOTE) {
    const nameEnd = stringEnd(bytes, i);
    if (nameEnd === undefined) return undefined;
    const name = fieldName(bytes, i + 1, nameEnd - 1);
    if (name.includes('\\') || Object.hasOwn(fields, name) || (name === 'value' && body)) return undefined;
    i = skipSpace(bytes, nameEnd);
    if (bytes[i] !== 0x3a) return undefined;
    i = skipSpace(bytes, i + 1);
    if (name === 'value') {
      const compact = minify(bytes, i);
      if (!compact) return undefined;
      body = compact.bytes;
      i = compact.end;
    } else {
      const field = readScalar(bytes, i);
      if (!field) return undefined;
      fields[name] = field.value;
      i = field.end;
    }
    i = skipSpace(bytes, i);
    if (bytes[i] !== 0x2c) break;
    i = skipSpace(bytes, i + 1);
    // A comma before the closing brace is a syntax error: the full parse reports it with its place
    if (bytes[i] !== QUOTE) return undefined;
  }
  if (bytes[i] !== 0x7d || skipSpace(bytes, i + 1) !== bytes.length) return undefined;
  // Only a JSON body is read this way: other kinds hold a string to decode, or bytes. A hash that is not a string never matches
  if (!body || fields.kind !== undefined || fields.encoding !== undefined || hashText(body) !== fields.hash) return undefined;
  // A large body stays bytes, copied out of the larger buffer the indented value was read into
  return { fields, body: heldAsBytes(body) ? Buffer.from(body) : body.toString('utf8') };
}

/**
 * `heldBody`'s rule for a compact body: TEXT_AS_BYTES characters or more (UTF-16
 * code units, what a string's length counts), not bytes: a body that is not
 * ASCII has more bytes than characters.
 */
function heldAsBytes(body: Buffer): boolean {
  // Stryker disable next-line ConditionalExpression: a shortcut: a character is at least one byte, so the count below gives the same answer for fewer bytes
  if (body.length < TEXT_AS_BYTES) return false;
  let characters = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    // A continuation byte (10xxxxxx) starts no character; a four-byte sequence is two (a surrogate pair)
    if ((c & 0xc0) !== 0x80) characters += c >= 0xf0 ? 2 : 1;
    if (characters >= TEXT_AS_BYTES) return true;
  }
  return false;
}

/** The names of the fields this module writes, and their bytes: a name read is one of these strings, not a new one per entry. */
const FIELD_NAMES = ['computedAt', 'hash', 'value', 'version', 'status', 'kind', 'contentType', 'contentDisposition', 'contentLength', 'encoding'].map(
  (name) => [name, Buffer.from(name)] as const,
);

/** The text of `bytes[start..end)`, a field name. */
function fieldName(bytes: Buffer, start: number, end: number): string {
  // Stryker disable all: a name not matched here is decoded from its bytes below, the same string for these ASCII names; only a wrong match would differ (the lookalike specs catch those)
  for (const [name, known] of FIELD_NAMES) {
    if (known.length !== end - start) continue;
    let i = 0;
    while (i < known.length && bytes[start + i] === known[i]) i++;
    if (i === known.length) return name;
  }
  // Stryker restore all
  return bytes.toString('latin1', start, end);
}

/** JSON whitespace (past the end of a buffer, undefined, is none). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The offset of the first byte at or after `i` that is not whitespace, or the end. */
function skipSpace(bytes: Buffer, i: number): number {
  while (isSpace(bytes[i])) i++;
  return i;
}

/** The string, number, true, false or null at `i` and the offset after it; undefined for anything else (an object or array is not skipped here). */
function readScalar(bytes: Buffer, i: number): { value: unknown; end: number } | undefined {
  let end = i;
  let value: unknown;
  if (bytes[i] === QUOTE) {
    const closed = stringEnd(bytes, i);
    if (closed === undefined) return undefined;
    end = closed;
    // The fields this module writes (dates, hashes, versions) are strings without escapes: no parse needed
    value = plainJsonString(bytes, i, end) ?? parseJson(bytes.toString('utf8', i, end));
  } else {
    // A number, true, false or null is word bytes only; what follows it is the caller's to check
    while (isWordByte(bytes[end])) end++;
    value = parseJson(bytes.toString('latin1', i, end));
  }
  return value === undefined ? undefined : { value, end };
}

/** JSON.parse, or undefined when the text is not JSON (the full parse then says where). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // undefined: not JSON
  }
  return undefined;
}

/** What `minify` copies into, reused from entry to entry (the caller copies the body out of it). */
let scratch = Buffer.allocUnsafe(64 * 1024);
/** An entry larger than this gets a buffer of its own, which is not kept. */
const SCRATCH_KEPT = 1 << 20;

function outputFor(size: number): Buffer {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: memory only: a new buffer holds the same bytes as the reused one
  if (size <= scratch.length) return scratch;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: memory only: a buffer of its own or a grown scratch hold the same bytes
  if (size > SCRATCH_KEPT) return Buffer.allocUnsafe(size);
  scratch = Buffer.allocUnsafe(size);
  return scratch;
}

/** Copies `bytes[from..to)` into `out` at `n`; returns the new end. A short run is copied faster here than through a call into Node. */
function copyRun(bytes: Buffer, from: number, to: number, out: Buffer, n: number): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: speed only: both ways copy the same bytes
  if (to - from >= 32) return n + bytes.copy(out, n, from, to);
  for (let i = from; i < to; i++) out[n++] = bytes[i];
  return n;
}

/**
 * Copies the value at `i` without the whitespace outside its strings (the
 * inverse of JSON.stringify's indentation); returns the copy and the offset
 * after the value, or undefined when it is empty, its brackets do not close or
 * a space sits inside a token.
 */
function minify(bytes: Buffer, i: number): { bytes: Buffer; end: number } | undefined {
  // Stryker disable next-line ArithmeticOperator: the capacity only: the copy never holds more than the bytes after i, so a larger buffer holds the same bytes
  const out = outputFor(bytes.length - i);
  let n = 0;
  let depth = 0;
  // Stryker disable next-line EqualityOperator: one more turn at bytes.length, where bytes[i] is undefined: it takes no branch that returns (it is copied as a 0 past the value), and the loop ends with the same undefined
  while (i < bytes.length) {
    const c = bytes[i];
    if (c === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end === undefined) return undefined;
      n = copyRun(bytes, i, end, out, n);
      i = end;
      if (depth === 0) return { bytes: out.subarray(0, n), end: i };
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    // A scalar at the top ends at the delimiter after it
    if (depth === 0 && (c === 0x2c || c === 0x7d)) return n > 0 ? { bytes: out.subarray(0, n), end: i } : undefined;
    // `1 2` is not `12`: whitespace may only sit between tokens that are not both words (out[-1] is undefined: no word)
    if (isWordByte(c) && isWordByte(out[n - 1]) && isSpace(bytes[i - 1])) return undefined;
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    out[n++] = c;
    i++;
    if (depth === 0 && (c === 0x7d || c === 0x5d)) return { bytes: out.subarray(0, n), end: i };
    if (depth < 0) return undefined;
  }
  // The bytes end inside the value
  return undefined;
}

/** A byte of a number, true, false or null (past the end of a buffer, undefined, is none). */
function isWordByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x41 && c <= 0x5a);
}
