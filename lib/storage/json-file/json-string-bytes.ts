/**
 * JSON strings read straight from their bytes: where one ends, and its text
 * when it holds no escape and no control character (keys, dates, hashes:
 * nearly every string the cache file's structure holds), so the reader skips a
 * JSON.parse per key and field.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The string between the quotes at `start` and `end - 1`, or undefined when it needs JSON.parse (an escape) or is not valid JSON (a control character). */
export function plainJsonString(bytes: Buffer, start: number, end: number): string | undefined {
  for (let i = start + 1; i < end - 1; i++) if (bytes[i] === BACKSLASH || bytes[i] < 0x20) return undefined;
  return bytes.toString('utf8', start + 1, end - 1);
}

/** At a quote: the offset after its closing quote (one not escaped), or undefined when it has none. */
export function jsonStringEnd(bytes: Buffer, i: number): number | undefined {
  for (let from = i + 1; ; ) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote === -1) return undefined;
    let slashes = 0;
    while (bytes[quote - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}
