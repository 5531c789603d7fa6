import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { CacheEntry } from '../cache-entry';
import { ByteSink } from '../byte-sink';
import { readStoredResponse, storedMeta, StoredEntryError, parseStoredTime, storedTime, writeStoredValue } from '../stored-entry';

/** Marks a file as this module's, and the version of its layout. */
export const FILE_FORMAT = 'nestjs-precompute/1';

/** A cache file that does not parse or does not have the expected shape. */
export class CacheFileError extends Error {
  /** What is wrong and where, without the advice for a start (a running app reports it with its own). */
  readonly summary: string;

  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const summary = `Cache file ${file}${line === undefined ? '' : ` (line ${line}, column ${column})`} is not valid: ${problem}.`;
    super(
      `${summary} It was left untouched. Fix it by hand (it is JSON), or delete it to compute everything again, ` +
        "or set onInvalidFile: 'move-aside' to keep it aside and start with an empty cache.",
    );
    this.summary = summary;
  }
}

/** Parses the text of a cache file into entries, or throws a `CacheFileError`. */
export function parseCacheFile(text: string, file: string): Map<string, CacheEntry> {
  const entries = new Map<string, CacheEntry>();
  if (text.trim() === '') return entries;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw syntaxError(text, file, error as Error);
  }
  if (!isObject(document) || !isObject(document.entries)) {
    throw new CacheFileError(file, `expected an object with "format": "${FILE_FORMAT}" and an "entries" object`);
  }
  if (document.format !== undefined && document.format !== FILE_FORMAT) {
    throw new CacheFileError(file, `unknown format ${JSON.stringify(document.format)}, expected "${FILE_FORMAT}"`);
  }
  for (const [key, raw] of Object.entries(document.entries)) {
    entries.set(key, toEntry(key, raw, file));
  }
  return entries;
}

/**
 * Turns one stored entry (file or journal) into a `CacheEntry`, or throws.
 * `jsonBody`: the compact JSON of a JSON `value` already known (`readWrittenEntry`), so `raw` holds the other fields only.
 */
export function toEntry(key: string, raw: unknown, file: string, jsonBody?: string | Buffer): CacheEntry {
  if (!isObject(raw) || (jsonBody === undefined && !Object.hasOwn(raw, 'value'))) {
    throw new CacheFileError(file, `entry "${key}" must be an object with a "value" field`);
  }
  const computedAt = raw.computedAt === undefined ? 0 : parseStoredTime(String(raw.computedAt));
  if (Number.isNaN(computedAt)) {
    throw new CacheFileError(file, `entry "${key}" has a "computedAt" that is not a date`);
  }
  if (raw.version !== undefined && typeof raw.version !== 'string') {
    throw new CacheFileError(file, `entry "${key}" has a "version" that is not a string`);
  }
  let response: ReturnType<typeof readStoredResponse>;
  try {
    response = readStoredResponse(key, raw, jsonBody);
  } catch (error) {
    if (error instanceof StoredEntryError) throw new CacheFileError(file, error.message);
    throw error;
  }
  // Built field by field in one order (no spreads): a warm start makes a million of these
  const entry: Mutable<CacheEntry> = {
    key,
    kind: response.kind,
    body: response.body,
    computedAt,
    // An entry a person added has no hash: it counts as edited
    hash: typeof raw.hash === 'string' ? raw.hash : '',
  };
  if (response.status !== undefined) entry.status = response.status;
  if (response.file !== undefined) entry.file = response.file;
  if (raw.version !== undefined) entry.version = raw.version;
  return entry;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One entry of the file, indented to sit inside `entries`, encoded into `sink`. */
export function writeEntry(sink: ByteSink, entry: CacheEntry): void {
  sink.text(`    ${JSON.stringify(entry.key)}: {\n`);
  const meta = storedMeta(entry);
  for (const name in meta) sink.text(`      ${JSON.stringify(name)}: ${JSON.stringify(meta[name])},\n`);
  sink.text(
    `      "computedAt": "${storedTime(entry.computedAt)}",\n` +
      (entry.version === undefined ? '' : `      "version": ${JSON.stringify(entry.version)},\n`) +
      `      "hash": ${JSON.stringify(entry.hash)},\n` +
      '      "value": ',
  );
  // Other kinds' text is one line (a JSON string or null): only JSON values span lines
  writeStoredValue(sink, entry, 2, 6);
  sink.text('\n    }');
}

/** The text of one entry in the file, indented to sit inside `entries`. */
export function formatEntry(entry: CacheEntry): string {
  const sink = new ByteSink();
  writeEntry(sink, entry);
  return sink.view().toString();
}

/** The whole file, as chunks to write one after another. Keys are sorted, so diffs stay small. */
export function* formatCacheFile(entries: Iterable<CacheEntry>): Generator<string> {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  yield `{\n  "format": "${FILE_FORMAT}",\n  "entries": {`;
  for (let i = 0; i < sorted.length; i++) {
    yield `${i === 0 ? '\n' : ',\n'}${formatEntry(sorted[i])}`;
  }
  yield sorted.length ? '\n  }\n}\n' : '}\n}\n';
}

function syntaxError(text: string, file: string, error: Error): CacheFileError {
  // JSON.parse does not always say where; jsonc-parser does
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return new CacheFileError(file, error.message);
  const { line, column } = position(text, first.offset);
  return new CacheFileError(file, `${describe(printParseErrorCode(first.error))} (${error.message})`, line, column);
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** 1-based line and column of an offset. */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
