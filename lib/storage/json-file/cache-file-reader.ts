import { open } from 'node:fs/promises';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { CacheEntry } from '../cache-entry';
import { CacheFileError, FILE_FORMAT, position, toEntry } from './cache-file-format';
import { entryBytesHash } from './entry-bytes-hash';
import { readWrittenEntry } from './written-entry';
import { CacheFileScanner, ScanSyntaxError, type FilePosition, type ScanHandler } from './cache-file-scanner';

/**
 * What a read learned about the file, to find what changed at the next read
 * without parsing it again: for each key, a hash of its entry's raw bytes.
 * One number per entry, never a copy of a value.
 */
export interface CacheFileIndex {
  readonly hashes: ReadonlyMap<string, number>;
}

export interface CacheFileRead {
  /** The entries parsed: all of them, or with a previous index only those whose bytes changed. */
  readonly entries: Map<string, CacheEntry>;
  /** Keys the previous index had and the file no longer has (empty without a previous index). */
  readonly removed: string[];
  readonly index: CacheFileIndex;
  /** Size of the file read, and the most bytes of it held at once (proof that it streams). */
  readonly bytes: number;
  readonly maxBufferedBytes: number;
  /** The file held only whitespace (an empty cache, as a file cut short before its first byte). */
  readonly empty: boolean;
}

export interface ReadOptions {
  /** Bytes read at a time (the buffer grows only for an entry larger than this). */
  readonly chunkBytes?: number;
  /** Build the index (hashing every entry); on by default. */
  readonly index?: boolean;
}

const CHUNK_BYTES = 4 << 20;
/** Node cannot hold a string longer than this: an entry this large cannot be decoded. */
const MAX_STRING_BYTES = 0x1fffffe8;

/**
 * Reads a cache file streaming: never more than one read plus one entry in
 * memory, so a file of any size loads. Throws `CacheFileError` (with line and
 * column for a syntax error) like `parseCacheFile`, and I/O errors as they are.
 */
export function readCacheFile(path: string, file: string, options: ReadOptions = {}): Promise<CacheFileRead> {
  return read(path, file, undefined, options);
}

/**
 * Re-reads a file this process read or wrote before (`previous`): entries whose
 * bytes hash as before are skipped without being decoded or parsed; returns the
 * changed and added entries, and the removed keys.
 */
export function readChangedEntries(path: string, file: string, previous: CacheFileIndex, options: ReadOptions = {}): Promise<CacheFileRead> {
  return read(path, file, previous, { ...options, index: true });
}

async function read(path: string, file: string, previous: CacheFileIndex | undefined, options: ReadOptions): Promise<CacheFileRead> {
  const entries = new Map<string, CacheEntry>();
  const hashes = new Map<string, number>();
  const indexing = options.index ?? true;
  let sawEntries = false;
  const handler: ScanHandler = {
    field(name, bytes, at) {
      const value = parseValue(bytes, at, file);
      if (name === 'format' && value !== FILE_FORMAT) {
        throw new CacheFileError(file, `unknown format ${JSON.stringify(value)}, expected "${FILE_FORMAT}"`);
      }
    },
    entriesStart() {
      sawEntries = true;
    },
    entry(key, bytes, at) {
      if (indexing) {
        const bytesHash = entryBytesHash(bytes);
        hashes.set(key, bytesHash);
        if (previous?.hashes.get(key) === bytesHash) {
          // Unchanged since the last read; a duplicate key earlier in the file loses, as in JSON.parse
          entries.delete(key);
          return;
        }
      }
      // An entry as written is read without parsing its value; any other is parsed whole, with its checks
      const written = readWrittenEntry(bytes);
      entries.set(key, written ? toEntry(key, written.fields, file, written.body) : toEntry(key, parseValue(bytes, at, file, key), file));
    },
    shape(at) {
      return shapeError(file, at);
    },
  };
  const scanner = new CacheFileScanner(handler);
  const handle = await open(path, 'r');
  let buffer = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
  let maxBufferedBytes = buffer.length;
  let base = 0;
  let filled = 0;
  try {
    for (;;) {
      // Keep only what the scanner still needs, then fill the rest
      const keep = scanner.resumeOffset - base;
      if (keep > 0) buffer.copy(buffer, 0, keep, filled);
      filled -= keep;
      base += keep;
      if (filled === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
        maxBufferedBytes = Math.max(maxBufferedBytes, buffer.length);
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, base + filled);
      filled += bytesRead;
      scanSafely(scanner, buffer, base, filled, bytesRead === 0, file);
      if (bytesRead === 0) break;
    }
  } finally {
    await handle.close();
  }
  if (!sawEntries && !scanner.empty) {
    throw new CacheFileError(file, `expected an object with "format": "${FILE_FORMAT}" and an "entries" object`);
  }
  const removed = previous ? [...previous.hashes.keys()].filter((key) => !hashes.has(key)) : [];
  return { entries, removed, index: { hashes }, bytes: base + filled, maxBufferedBytes, empty: scanner.empty };
}

function scanSafely(scanner: CacheFileScanner, buffer: Buffer, base: number, filled: number, eof: boolean, file: string): void {
  try {
    scanner.scan(buffer, base, filled, eof);
  } catch (error) {
    if (!(error instanceof ScanSyntaxError)) throw error;
    const { line, column } = lineAndColumn(error.at, 0, 0);
    throw new CacheFileError(file, error.problem, line, column);
  }
}

/** Decodes and parses one value; a syntax error is reported at its place in the file. */
function parseValue(bytes: Buffer, at: FilePosition, file: string, key?: string): unknown {
  if (bytes.length > MAX_STRING_BYTES) {
    throw new CacheFileError(
      file,
      `entry "${key}" is ${Math.round(bytes.length / 2 ** 20)} MiB, more than the 512 MiB Node can hold in one string. ` +
        'Split the value across several combinations (one per parameter value)',
    );
  }
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; jsonc-parser does (on this one value only)
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    const inValue = position(text, first?.offset ?? 0);
    const { line, column } = lineAndColumn(at, inValue.line - 1, inValue.column - 1);
    const what = first ? describe(printParseErrorCode(first.error)) : 'invalid JSON';
    // JSON.parse counts its position from the start of this one value, which points nowhere in the file: line and column say where
    const detail = (error as Error).message.replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?/, '');
    throw new CacheFileError(file, `${what} (${detail})`, line, column);
  }
}

/** Line and column of a place `lines` lines and `columns` columns after `at`. */
function lineAndColumn(at: FilePosition, lines: number, columns: number): { line: number; column: number } {
  if (lines > 0) return { line: at.line + lines, column: columns + 1 };
  return { line: at.line, column: at.offset - at.lineStart + 1 + columns };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function shapeError(file: string, at: FilePosition): never {
  const { line, column } = lineAndColumn(at, 0, 0);
  throw new CacheFileError(file, `expected an object with "format": "${FILE_FORMAT}" and an "entries" object`, line, column);
}
