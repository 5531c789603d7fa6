import { ByteSink } from './byte-sink';
import { writeIndentedJson } from './json-indent';

/** What `writeIndentedJson` writes for a compact text, as text. */
function indentJson(compact: string, indent: number, baseIndent = 0): string {
  const sink = new ByteSink(4);
  writeIndentedJson(sink, Buffer.from(compact), indent, baseIndent);
  return sink.view().toString();
}

/** A seeded generator, so a failure names a value that can be made again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const TRICKY_STRINGS = ['', 'plain', 'a "quoted" word', 'back\\slash\\', 'ends with \\"', '{not: [an, object]}', 'tab\tnew\nline', 'ü ✓ 😀', '\u0000\u001f', ',:[]{}'];

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 8));
  switch (pick) {
    case 0:
      return TRICKY_STRINGS[Math.floor(next() * TRICKY_STRINGS.length)];
    case 1:
      return Math.round((next() - 0.5) * 1e6) / 100;
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return next() * 1e-9;
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`${TRICKY_STRINGS[i % TRICKY_STRINGS.length]}${i}`, value(next, depth + 1)]));
  }
}

describe('writeIndentedJson', () => {
  it.each([
    ['an object', { region: 'EMEA', rows: [{ store: 1, total: 12.5 }], empty: {}, none: [] }],
    ['an array of arrays', [[1, [2, []]], [{}]]],
    ['strings with every character JSON escapes or structures', TRICKY_STRINGS],
    ['keys with colons, commas and quotes', { 'a:b': 1, 'c,d': { 'e"f': ['g}h'] } }],
    ['a top-level string', 'a "report", with: {braces}'],
    ['a number', -1.5e-7],
    ['true', true],
    ['null', null],
    ['an empty object', {}],
    ['an empty array', []],
  ])('indents %s as JSON.stringify(value, null, 2) does', (_, input) => {
    const compact = JSON.stringify(input);
    expect(indentJson(compact, 2)).toBe(JSON.stringify(input, null, 2));
  });

  it('indents by any width', () => {
    const input = { a: [1, { b: 2 }] };
    expect(indentJson(JSON.stringify(input), 4)).toBe(JSON.stringify(input, null, 4));
  });

  it('moves every line after the first further in by the base indentation, as the cache file nests a value', () => {
    const input = { a: [1, { b: 'x' }], c: {} };
    const expected = JSON.stringify(input, null, 2).replace(/\n/g, '\n      ');
    expect(indentJson(JSON.stringify(input), 2, 6)).toBe(expected);
  });

  it('agrees with JSON.stringify on 2,000 random values', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const input = value(random(seed), 0);
      const compact = JSON.stringify(input);
      const indented = indentJson(compact, 2);
      if (indented !== JSON.stringify(input, null, 2)) throw new Error(`seed ${seed}: ${compact} indented as ${indented}`);
    }
  });

  it('indents long strings, keys and numbers, and multi-byte text, from bytes into a sink that already holds bytes', () => {
    const input = {
      ['a key longer than thirty-two bytes, with ü and 😀']: 'a value longer than thirty-two bytes: "quoted", {braced}: [bracketed], ✓',
      n: 12345678901234567890123456789012345,
      list: ['x'.repeat(100), 'ü'.repeat(40), { deep: [1, [2, { deeper: '😀'.repeat(20) }]] }],
    };
    const sink = new ByteSink(8);
    sink.text('before:');
    writeIndentedJson(sink, Buffer.from(JSON.stringify(input)), 2, 6);
    expect(sink.view().toString()).toBe(`before:${JSON.stringify(input, null, 2).replace(/\n/g, '\n      ')}`);
  });
});
