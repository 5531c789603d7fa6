/**
 * Indents compact JSON (as JSON.stringify writes it) the way
 * `JSON.stringify(value, null, indent)` would, without parsing it: the cache
 * file is written indented for people, and parsing each body again only to
 * indent it was most of the time a large file took to write. It works on the
 * UTF-8 bytes, straight into the buffer the file is written from: no byte of
 * a multi-byte character is a quote, a backslash or punctuation.
 *
 * The input must be compact JSON (no whitespace between tokens), which every
 * JSON body an entry holds is: it was made by JSON.stringify, or read back
 * from the file or the journal checked against its hash or parsed.
 */
import { ByteSink } from './byte-sink';
import { jsonStringEnd } from './json-file/json-string-bytes';

/** A newline and `n` spaces, by `n`: made once each. */
const lineStarts: Buffer[] = [];
const SPACE = Buffer.from(' ');

function lineStart(spaces: number): Buffer {
  return (lineStarts[spaces] ??= Buffer.from(`\n${' '.repeat(spaces)}`));
}

/** Writes `compact` indented by `indent` spaces, each line after the first `baseIndent` spaces further in. */
export function writeIndentedJson(sink: ByteSink, compact: Buffer, indent: number, baseIndent = 0): void {
  let depth = 0;
  let from = 0;
  const newline = (): void => sink.bytes(lineStart(baseIndent + depth * indent));
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (c === 0x22) {
      i = (jsonStringEnd(compact, i) ?? compact.length) - 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      // An empty object or array stays `{}` or `[]`
      if (compact[i + 1] === c + 2) {
        i++;
        continue;
      }
      depth++;
      sink.bytes(compact, from, i + 1);
      newline();
      from = i + 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      sink.bytes(compact, from, i);
      newline();
      from = i;
    } else if (c === 0x2c) {
      sink.bytes(compact, from, i + 1);
      newline();
      from = i + 1;
    } else if (c === 0x3a) {
      sink.bytes(compact, from, i + 1);
      sink.bytes(SPACE);
      from = i + 1;
    }
  }
  sink.bytes(compact, from, compact.length);
}
