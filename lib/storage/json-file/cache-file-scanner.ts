/**
 * A byte-level tokenizer for the cache file's outer structure: the root object,
 * its top-level fields, and the byte range of each entry inside `entries`. It
 * never decodes an entry: the reader parses (or skips, when unchanged) each
 * entry's bytes on its own, so no string ever holds the whole file.
 *
 * It works on a window of the file and resumes from the last complete item when
 * the window ends mid-item: the reader then keeps that item's bytes, reads more
 * and scans again (so at most one item, plus one read, is ever buffered).
 *
 * Values are not validated here beyond strings and bracket nesting: JSON.parse
 * does that on each entry, and the reader maps its errors to a line and column.
 *
 * Longer than our usual 200 lines: one state machine (phase, position, line)
 * that resumes mid-file; split across files, its invariants would be too.
 */
import { plainJsonString } from './json-string-bytes';

/** Where a byte sits in the file: 1-based line and column (column in bytes from the line start). */
export interface FilePosition {
  readonly offset: number;
  readonly line: number;
  readonly lineStart: number;
}

export class ScanSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly at: FilePosition,
  ) {
    super(problem);
  }
}

export interface ScanHandler {
  /** A top-level field other than `entries`, with its value's raw bytes. */
  field(name: string, bytes: Buffer, at: FilePosition): void;
  /** `entries` opens (an object). */
  entriesStart(): void;
  /** An entry of `entries`: its key and the raw bytes of its value. */
  entry(key: string, bytes: Buffer, at: FilePosition): void;
  /** The root is not an object, or `entries` is not one. */
  shape(at: FilePosition): never;
}

const enum Phase {
  BeforeRoot,
  RootKey,
  RootNext,
  EntryKey,
  EntryNext,
  AfterRoot,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** Thrown inside a scan when the window ends mid-item; never escapes `scan`. */
const NEED_MORE = Symbol('need more');

export class CacheFileScanner {
  private phase = Phase.BeforeRoot;
  private sawRoot = false;
  /** Whether a closing brace may come next (right after `{`, not after a comma). */
  private mayClose = true;
  /** Absolute offset of `buffer[0]`. */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  private eof = false;

  constructor(private readonly handler: ScanHandler) {}

  /** Absolute offset of the first byte the scanner still needs: earlier bytes may be dropped. */
  get resumeOffset(): number {
    return this.base + this.pos;
  }

  /** The document was only whitespace (an empty cache). */
  get empty(): boolean {
    return !this.sawRoot;
  }

  /**
   * Scans `buffer[0..end)`, which starts at the absolute offset `base` (at or
   * before `resumeOffset`); `eof` when nothing follows. Returns once the window
   * is used up or the document ends; throws `ScanSyntaxError`.
   */
  scan(buffer: Buffer, base: number, end: number, eof: boolean): void {
    this.buffer = buffer;
    this.pos = this.base + this.pos - base;
    this.base = base;
    this.end = end;
    this.eof = eof;
    try {
      while (this.phase !== Phase.Done) this.step();
    } catch (error) {
      if (error !== NEED_MORE) throw error;
    }
  }

  private step(): void {
    const start = this.pos;
    const line = this.line;
    const lineStart = this.lineStart;
    try {
      this.item();
    } catch (error) {
      if (error === NEED_MORE) {
        // Rewind to the start of the item, so the next window scans it whole
        this.pos = start;
        this.line = line;
        this.lineStart = lineStart;
      }
      throw error;
    }
  }

  /** Scans one complete item of the current phase, or throws NEED_MORE. */
  private item(): void {
    const c = this.skipSpace();
    switch (this.phase) {
      case Phase.BeforeRoot:
        if (c === -1) return this.finish();
        if (c !== 0x7b) return this.handler.shape(this.here());
        this.pos++;
        this.sawRoot = true;
        this.phase = Phase.RootKey;
        this.mayClose = true;
        return;
      case Phase.RootKey:
      case Phase.EntryKey:
        return this.key(c);
      case Phase.RootNext:
      case Phase.EntryNext:
        return this.next(c);
      case Phase.AfterRoot:
        if (c === -1) return this.finish();
        throw this.error('end of file expected');
    }
  }

  private key(c: number): void {
    const inEntries = this.phase === Phase.EntryKey;
    if (c === 0x7d && this.mayClose) {
      this.pos++;
      this.phase = inEntries ? Phase.RootNext : Phase.AfterRoot;
      return;
    }
    if (c !== QUOTE) throw this.error(c === -1 ? 'unexpected end of file' : this.mayClose ? 'property name or } expected' : 'property name expected');
    const keyStart = this.pos;
    const keyEnd = this.skipString();
    const name = plainJsonString(this.buffer, keyStart, keyEnd) ?? (JSON.parse(this.buffer.toString('utf8', keyStart, keyEnd)) as string);
    if (this.skipSpace() !== 0x3a) throw this.error('colon expected');
    this.pos++;
    const v = this.skipSpace();
    if (v === -1) throw this.error('value expected');
    const at = this.here();
    if (!inEntries && name === 'entries') {
      if (v !== 0x7b) return this.handler.shape(at);
      this.handler.entriesStart();
      this.pos++;
      this.phase = Phase.EntryKey;
      this.mayClose = true;
      return;
    }
    const valueStart = this.pos;
    this.skipValue();
    const bytes = this.buffer.subarray(valueStart, this.pos);
    if (inEntries) this.handler.entry(name, bytes, at);
    else this.handler.field(name, bytes, at);
    this.phase = inEntries ? Phase.EntryNext : Phase.RootNext;
  }

  private next(c: number): void {
    const inEntries = this.phase === Phase.EntryNext;
    if (c === 0x2c) {
      this.pos++;
      this.phase = inEntries ? Phase.EntryKey : Phase.RootKey;
      this.mayClose = false;
      return;
    }
    if (c === 0x7d) {
      this.pos++;
      // Closing `entries` returns to the root, which then expects `,` or `}`
      this.phase = inEntries ? Phase.RootNext : Phase.AfterRoot;
      return;
    }
    throw this.error(c === -1 ? 'unexpected end of file' : 'comma or } expected');
  }

  private finish(): void {
    if (!this.eof) throw NEED_MORE;
    this.phase = Phase.Done;
  }

  /** Skips whitespace, counting lines; returns the next byte, or -1 at the end of the document. */
  private skipSpace(): number {
    const buffer = this.buffer;
    for (let i = this.pos; i < this.end; i++) {
      const c = buffer[i];
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = this.base + i + 1;
      } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) {
        this.pos = i;
        return c;
      }
    }
    this.pos = this.end;
    if (!this.eof) throw NEED_MORE;
    return -1;
  }

  /** At a quote: moves past the closing quote; returns the end offset (exclusive). */
  private skipString(): number {
    const buffer = this.buffer;
    let i = this.pos + 1;
    for (;;) {
      const quote = buffer.indexOf(QUOTE, i);
      if (quote === -1 || quote >= this.end) {
        if (this.eof) throw this.error('unterminated string');
        throw NEED_MORE;
      }
      let slashes = 0;
      while (buffer[quote - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) {
        this.pos = quote + 1;
        return this.pos;
      }
      i = quote + 1;
    }
  }

  /** Skips one JSON value of any kind, checking that brackets nest. */
  private skipValue(): void {
    const buffer = this.buffer;
    const first = buffer[this.pos];
    if (first !== QUOTE && first !== 0x7b && first !== 0x5b) return this.skipScalar();
    const closers: number[] = [];
    for (;;) {
      if (this.pos >= this.end) {
        if (this.eof) throw this.error(closers.length ? `${String.fromCharCode(closers[closers.length - 1])} expected` : 'value expected');
        throw NEED_MORE;
      }
      const c = buffer[this.pos];
      if (c === QUOTE) {
        this.skipString();
      } else if (c === 0x7b || c === 0x5b) {
        closers.push(c + 2);
        this.pos++;
      } else if (c === 0x7d || c === 0x5d) {
        if (closers.pop() !== c) throw this.error(closers.length ? `unexpected ${String.fromCharCode(c)}` : 'comma or } expected');
        this.pos++;
      } else {
        if (c === NEWLINE) {
          this.line++;
          this.lineStart = this.base + this.pos + 1;
        }
        this.pos++;
      }
      if (closers.length === 0 && (c === QUOTE || c === 0x7d || c === 0x5d)) return;
    }
  }

  /** A number, true, false or null: up to the next delimiter (JSON.parse checks its spelling). */
  private skipScalar(): void {
    const buffer = this.buffer;
    for (let i = this.pos; i < this.end; i++) {
      const c = buffer[i];
      if (c === 0x2c || c === 0x7d || c === 0x5d || c <= 0x20) {
        this.pos = i;
        return;
      }
    }
    if (!this.eof) throw NEED_MORE;
    this.pos = this.end;
  }

  private here(): FilePosition {
    return { offset: this.base + this.pos, line: this.line, lineStart: this.lineStart };
  }

  private error(problem: string): ScanSyntaxError {
    return new ScanSyntaxError(problem, this.here());
  }
}
