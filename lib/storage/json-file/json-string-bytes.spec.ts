import { describe, expect, it } from '@jest/globals';
import { plainJsonString } from './json-string-bytes';

const read = (json: string) => {
  const bytes = Buffer.from(` ${json} `);
  return plainJsonString(bytes, 1, bytes.length - 1);
};

describe('plainJsonString', () => {
  it.each([
    ['"GET /report?region=EMEA"', 'GET /report?region=EMEA'],
    ['"ü ✓ 😀"', 'ü ✓ 😀'],
    ['""', ''],
  ])('reads %s as JSON.parse does, without it', (json, expected) => {
    expect(read(json)).toBe(expected);
    expect(read(json)).toBe(JSON.parse(json));
  });

  it('looks only between the quotes: a control character or backslash right outside them changes nothing', () => {
    const bytes = Buffer.from('\n"key"\\');
    expect(plainJsonString(bytes, 1, bytes.length - 1)).toBe('key');
  });

  it.each([
    ['an escaped quote', '"a \\" b"'],
    ['an escaped backslash', '"a \\\\ b"'],
    ['a unicode escape', '"\\u00fc"'],
    ['a raw tab (not valid JSON)', '"a\tb"'],
    ['a raw newline (not valid JSON)', '"a\nb"'],
  ])('leaves a string with %s to JSON.parse', (_, json) => {
    expect(read(json)).toBeUndefined();
  });
});
