/**
 * A growable buffer that texts and bytes are encoded straight into: the cache
 * file and the journal are written from it, so an entry's text is never built
 * as one string first (at a million entries, those strings and their copies
 * were a large part of persisting a build).
 */
export class ByteSink {
  private buffer: Buffer;
  /** Bytes written so far. */
  used = 0;

  // Stryker disable next-line ArithmeticOperator: the first capacity only: a smaller buffer grows to hold the same bytes
  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Encodes a text as UTF-8. */
  text(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8; a long text is measured rather than given three times its room
    // Stryker disable next-line ConditionalExpression,EqualityOperator: both bounds hold the text (write() would cut it short otherwise): the choice is memory against a scan
    this.reserve(text.length <= 4096 ? text.length * 3 : Buffer.byteLength(text));
    this.used += this.buffer.write(text, this.used);
  }

  /** Copies `bytes[start..end)`. */
  bytes(bytes: Buffer, start = 0, end = bytes.length): void {
    // Stryker disable next-line ArithmeticOperator: a larger length only reserves more room and picks the other way to copy the same bytes
    const length = end - start;
    this.reserve(length);
    const buffer = this.buffer;
    // A short run (a number, a key) is copied faster here than through a call into Node
    // Stryker disable next-line ConditionalExpression,EqualityOperator: speed only: both ways copy the same bytes
    if (length < 32) for (let i = start; i < end; i++) buffer[this.used++] = bytes[i];
    else this.used += bytes.copy(buffer, this.used, start, end);
  }

  /** The bytes written from `start` on; valid until the next write or `clear()`. */
  view(start = 0): Buffer {
    return this.buffer.subarray(start, this.used);
  }

  /** Bytes it can hold before it grows. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Starts over, keeping the memory. */
  clear(): void {
    this.used = 0;
  }

  private reserve(more: number): void {
    // Stryker disable next-line EqualityOperator: growing one byte earlier holds the same bytes
    if (this.used + more <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + more));
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
