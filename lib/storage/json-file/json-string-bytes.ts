/**
 * A JSON string read straight from its bytes when it holds no escape and no
 * control character (keys, dates, hashes: nearly every string the cache file's
 * structure holds), so the reader skips a JSON.parse per key and field.
 */
const BACKSLASH = 0x5c;

/** The string between the quotes at `start` and `end - 1`, or undefined when it needs JSON.parse (an escape) or is not valid JSON (a control character). */
export function plainJsonString(bytes: Buffer, start: number, end: number): string | undefined {
  for (let i = start + 1; i < end - 1; i++) if (bytes[i] === BACKSLASH || bytes[i] < 0x20) return undefined;
  return bytes.toString('utf8', start + 1, end - 1);
}
