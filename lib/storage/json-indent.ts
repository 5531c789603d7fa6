/**
 * Indents compact JSON text (as JSON.stringify writes it) the way
 * `JSON.stringify(value, null, indent)` would, without parsing it: the cache
 * file is written indented for people, and parsing each body again only to
 * indent it was most of the time a large file took to write.
 *
 * The input must be compact JSON (no whitespace between tokens), which every
 * JSON body an entry holds is: it was made by JSON.stringify, or read back
 * from the file or the journal checked against its hash or parsed.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function indentJson(compact: string, indent: number, baseIndent = 0): string {
  const parts: string[] = [];
  const newlines: string[] = [];
  /** A newline and the indentation of `depth` levels under the base. */
  const newline = (depth: number): string => (newlines[depth] ??= `\n${' '.repeat(baseIndent + depth * indent)}`);
  let depth = 0;
  let from = 0;
  for (let i = 0; i < compact.length; i++) {
    const c = compact.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(compact, i) - 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const next = compact.charCodeAt(i + 1);
      // An empty object or array stays `{}` or `[]`
      if (next === c + 2) {
        i++;
        continue;
      }
      depth++;
      parts.push(compact.slice(from, i + 1), newline(depth));
      from = i + 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      parts.push(compact.slice(from, i), newline(depth));
      from = i;
    } else if (c === 0x2c) {
      parts.push(compact.slice(from, i + 1), newline(depth));
      from = i + 1;
    } else if (c === 0x3a) {
      parts.push(compact.slice(from, i + 1), ' ');
      from = i + 1;
    }
  }
  if (from === 0) return compact;
  parts.push(compact.slice(from));
  return parts.join('');
}

/** At a quote: the index after its closing quote. */
function stringEnd(text: string, i: number): number {
  for (let from = i + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}
