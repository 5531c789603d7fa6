import { describe, expect, it } from '@jest/globals';
import { createEntry, entryOf, entryText, hashText, TEXT_AS_BYTES, type CacheEntry } from '../cache-entry';
import { formatEntry, toEntry } from './cache-file-format';
import { readWrittenEntry } from './written-entry';

/** An entry's bytes as the file holds them (what the scanner hands the reader). */
function fileBytes(entry: CacheEntry): Buffer {
  const text = formatEntry(entry);
  return Buffer.from(text.slice(text.indexOf(': {') + 2));
}

function readBoth(bytes: Buffer): { fast: CacheEntry | undefined; parsed: CacheEntry } {
  const written = readWrittenEntry(bytes);
  return {
    fast: written && toEntry('k', written.fields, 'f.json', written.body),
    parsed: toEntry('k', JSON.parse(bytes.toString('utf8')), 'f.json'),
  };
}

const VALUES: Array<[string, unknown]> = [
  ['an object', { region: 'EMEA', rows: [{ store: 1, total: 12.5, note: 'a "quoted", {braced}: word\\' }], empty: {}, none: [] }],
  ['an array', [1, -2.5e-9, true, null, 'ü ✓ 😀', [[]]]],
  ['a date (a string at the top)', new Date(Date.UTC(2026, 10, 27))],
];

describe('reading an entry as this module wrote it', () => {
  it.each(VALUES)('reads %s to the same entry as a full parse, with the compact body as computed', (_, value) => {
    const entry = createEntry('k', value, 'v2', Date.UTC(2026, 0, 1));
    const { fast, parsed } = readBoth(fileBytes(entry));
    expect(fast).toEqual(parsed);
    expect(fast).toEqual(entry);
  });

  it('reads an entry with a status (a 4xx answer) and an escaped version', () => {
    const entry = entryOf('k', { kind: 'json', body: '{"statusCode":404,"message":"no such store"}', status: 404 }, 'v"2\\', 5000);
    const { fast, parsed } = readBoth(fileBytes(entry));
    expect(fast).toEqual(parsed);
    expect(fast).toEqual(entry);
  });

  it('keeps a __proto__ field as plain data, as a full parse does', () => {
    const { fast, parsed } = readBoth(Buffer.from(`{ "__proto__": { "polluted": true }, "hash": "${createEntry('k', 1).hash}", "value": 1 }`));
    expect(fast).toBeUndefined();
    const written = readWrittenEntry(Buffer.from(`{ "__proto__": 1, "hash": "${createEntry('k', 1).hash}", "value": 1 }`));
    expect(written && toEntry('k', written.fields, 'f', written.body)).toEqual(toEntry('k', JSON.parse(`{ "__proto__": 1, "hash": "${createEntry('k', 1).hash}", "value": 1 }`), 'f'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.body).toBe('1');
  });

  it('reads a value whose whitespace a person changed (the same value)', () => {
    const entry = createEntry('k', { n: [1, 2] });
    const bytes = Buffer.from(fileBytes(entry).toString().replace('"n": [', '"n"  :\t[ ').replace(/\n/g, '\r\n'));
    expect(readWrittenEntry(bytes)?.body).toBe('{"n":[1,2]}');
  });

  it('leaves an edited value to the full parse (its hash no longer matches)', () => {
    const entry = createEntry('k', { n: 1 });
    expect(readWrittenEntry(Buffer.from(fileBytes(entry).toString().replace('"n": 1', '"n": 2')))).toBeUndefined();
  });

  it('never joins two tokens a space separated: `1 2` is a syntax error, not 12', () => {
    const entry = createEntry('k', { n: 12 });
    expect(readWrittenEntry(Buffer.from(fileBytes(entry).toString().replace('"n": 12', '"n": 1 2')))).toBeUndefined();
    expect(readWrittenEntry(Buffer.from(fileBytes(createEntry('k', [-1])).toString().replace(/-1\n/, '- 1\n')))).toBeUndefined();
  });

  it.each([
    ['[10]', '[1 0]'],
    ['[99]', '[9 9]'],
    ['[false]', '[f alse]'],
    ['[1e+21]', '[1e +21]'],
    ['[1.5]', '[1 .5]'],
  ])('refuses %s written as %s (a space inside a token)', (compact, spaced) => {
    const entry = createEntry('k', JSON.parse(compact));
    expect(entry.body).toBe(compact);
    const bytes = Buffer.from(`{ "hash": "${entry.hash}", "value": ${spaced} }`);
    expect(readWrittenEntry(bytes)).toBeUndefined();
    expect(readWrittenEntry(Buffer.from(`{ "hash": "${entry.hash}", "value": ${compact} }`))?.body).toBe(compact);
  });

  it('reads compact entries (a journal line) with fields in any order, a number last, and tabs or CRs between tokens', () => {
    const entry = entryOf('k', { kind: 'json', body: '{"a":[1,{}],"b":"x"}', status: 404 }, 'v1', 5000);
    const iso = new Date(5000).toISOString();
    const compact = `{"computedAt":"${iso}","version":"v1","hash":"${entry.hash}","value":{"a":[1,{}],"b":"x"},"status":404}`;
    const written = readWrittenEntry(Buffer.from(compact));
    expect(written && toEntry('k', written.fields, 'f', written.body)).toEqual(entry);
    const spaced = `{\t"status"\t:\t404\r\n,\t"computedAt":"${iso}","version":"v1","hash":"${entry.hash}",\r\n"value":\t{ "a" :\r\n[ 1 ,\t{ } ] , "b":"x" }\t}`;
    const again = readWrittenEntry(Buffer.from(spaced));
    expect(again && toEntry('k', again.fields, 'f', again.body)).toEqual(entry);
  });

  it('keeps a body of TEXT_AS_BYTES bytes or more as bytes, a shorter one as text', () => {
    const at = createEntry('k', 'x'.repeat(TEXT_AS_BYTES - 2));
    const below = createEntry('k', 'x'.repeat(TEXT_AS_BYTES - 3));
    expect(Buffer.isBuffer(readWrittenEntry(fileBytes(at))?.body)).toBe(true);
    expect(readWrittenEntry(fileBytes(below))?.body).toBe(JSON.stringify('x'.repeat(TEXT_AS_BYTES - 3)));
  });

  it.each([
    ['ü', 'two bytes'],
    ['✓', 'three bytes'],
    ['😀', 'four bytes, two UTF-16 characters'],
  ])('counts %s (%s) as a full parse does: characters, not bytes, decide whether a body is held as bytes', (char) => {
    // A body of `length` characters: a JSON string of `char` repeated, made up to length with x
    const bodyOf = (length: number) => JSON.stringify('x'.repeat((length - 2) % char.length) + char.repeat(Math.floor((length - 2) / char.length)));
    for (const length of [TEXT_AS_BYTES - 1, TEXT_AS_BYTES]) {
      const entry = entryOf('k', { kind: 'json', body: bodyOf(length) });
      expect(entryText(entry)).toHaveLength(length);
      const { fast, parsed } = readBoth(fileBytes(entry));
      expect(fast).toStrictEqual(parsed);
      expect(fast).toStrictEqual(entry);
      // The read hands over the form it is kept in (toEntry would turn a long string into bytes, a copy more)
      expect(Buffer.isBuffer(readWrittenEntry(fileBytes(entry))?.body)).toBe(length >= TEXT_AS_BYTES);
    }
  });

  it('reads a number of several digits at the top of the value, with fields after it', () => {
    const entry = createEntry('k', 12);
    expect(readWrittenEntry(Buffer.from(`{ "hash": "${entry.hash}", "value": 12 }`))?.body).toBe('12');
    const written = readWrittenEntry(Buffer.from(`{ "hash": "${entry.hash}", "value": 12, "status": 404 }`));
    expect(written?.body).toBe('12');
    expect(written?.fields.status).toBe(404);
  });

  // Each entry below is not JSON, yet hashes to the bytes a careless read would take for its body:
  // the hash check cannot refuse it, so the read itself must (the full parse reports where it breaks)
  it.each([
    ['no opening brace', '[ "hash": "#", "value": 1 }', '1'],
    ['a byte other than a colon after a name', '{ "hash" = "#", "value": 1 }', '1'],
    ['a closing bracket in place of the closing brace', '{ "hash": "#", "value": [1] ]', '[1]'],
    ['no value after the colon', '{ "hash": "#", "value": }', ''],
    ['no value before the comma', '{ "value": , "hash": "#" }', ''],
    ['a string value followed by another', '{ "hash": "#", "value": "a" "b" }', '"a""b"'],
    ['an array value followed by another', '{ "hash": "#", "value": [1] [2] }', '[1][2]'],
    ['an object value followed by another', '{ "hash": "#", "value": {} {} }', '{}{}'],
    ['a closing bracket before the opening one', '{ "hash": "#", "value": ][ }', ']['],
    ...['a', 'z', 'A', 'Z', 'E', '-', '+', '.'].map((byte): [string, string, string] => [
      `a space between 1 and ${byte}`,
      `{ "hash": "#", "value": [1 ${byte}] }`,
      `[1${byte}]`,
    ]),
  ])('refuses %s, even when the hash matches', (_, template, joined) => {
    const text = template.replace('#', hashText(joined));
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(readWrittenEntry(Buffer.from(text))).toBeUndefined();
  });

  it('refuses a field string with an escape JSON does not have', () => {
    const text = `{ "version": "\\x", "hash": "${createEntry('k', 1).hash}", "value": 1 }`;
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(readWrittenEntry(Buffer.from(text))).toBeUndefined();
  });

  it.each([
    ['text', entryOf('k', { kind: 'text', body: 'region,total\n' })],
    ['a scalar', entryOf('k', { kind: 'scalar', body: '42' })],
    ['bytes', entryOf('k', { kind: 'buffer', body: Buffer.from([0, 1, 2]) })],
    ['a file', entryOf('k', { kind: 'file', body: Buffer.from('%PDF'), file: { type: 'application/pdf' } })],
  ])('leaves %s to the full parse', (_, entry) => {
    expect(readWrittenEntry(fileBytes(entry))).toBeUndefined();
  });

  it.each([
    ['an entry a person added (no hash)', '{ "value": { "n": 1 } }'],
    ['no value', '{ "computedAt": "2026-01-01T00:00:00.000Z", "hash": "sha256-x" }'],
    ['two values', `{ "hash": "${createEntry('k', 1).hash}", "value": 1, "value": 1 }`],
    ['a field twice', `{ "hash": "${createEntry('k', 1).hash}", "hash": "${createEntry('k', 1).hash}", "value": 1 }`],
    ['a field holding an array', `{ "tags": [1], "hash": "${createEntry('k', 1).hash}", "value": 1 }`],
    ['an unterminated field name', '{ "hash'],
    ['an unterminated field value', '{ "hash": "sha'],
    ['an unterminated string in the value', `{ "hash": "${createEntry('k', 'a').hash}", "value": "a`],
    ['an unterminated string inside the value', `{ "hash": "${createEntry('k', ['a']).hash}", "value": ["a }`],
    ['a value cut short', `{ "hash": "${createEntry('k', [1]).hash}", "value": [1`],
    ['more closing brackets than opening', `{ "hash": "${createEntry('k', [1]).hash}", "value": [1]] }`],
    ['an encoding field', `{ "encoding": "base64", "hash": "${createEntry('k', 1).hash}", "value": 1 }`],
    ['a hash that is not a string', `{ "hash": 1, "value": 1 }`],
    ['a field holding an object', `{ "meta": {}, "hash": "${createEntry('k', 1).hash}", "value": 1 }`],
    ['a missing colon', `{ "hash" "${createEntry('k', 1).hash}", "value": 1 }`],
    ['a comma before the closing brace', `{ "hash": "${createEntry('k', 1).hash}", "value": 1, }`],
    ['a comma and nothing after it', `{ "hash": "${createEntry('k', 1).hash}",`],
    ['bytes after the entry', `{ "hash": "${createEntry('k', 1).hash}", "value": 1 } x`],
    ['an unclosed value', `{ "hash": "${createEntry('k', [1]).hash}", "value": [1 }`],
    ['a field that does not parse', `{ "status": 4x4, "hash": "${createEntry('k', 1).hash}", "value": 1 }`],
    ['not an object', '[1]'],
  ])('leaves %s to the full parse', (_, text) => {
    expect(readWrittenEntry(Buffer.from(text))).toBeUndefined();
  });

  it('reads one entry after another into the same scratch memory, and no body shares it', () => {
    // A large body (held as bytes, growing the scratch), a small one, one over a MiB (a buffer of its own), a small one again
    const values = [{ rows: 'é'.repeat(TEXT_AS_BYTES) }, { n: 1 }, { big: 'x'.repeat(1_200_000) }, [2]];
    const entries = values.map((value, i) => createEntry(`k${i}`, value));
    const bodies = entries.map((entry) => readWrittenEntry(fileBytes(entry))?.body);
    // Compared as text (jest compares a Buffer element by element, slowly)
    for (let i = 0; i < entries.length; i++) expect(bodies[i]?.toString()).toBe(entries[i].body.toString());
    expect(Buffer.isBuffer(bodies[0])).toBe(true);
    expect(bodies[1]).toBe('{"n":1}');
  });

  it.each([
    ['hasx', 'a name as long as "hash", starting alike'],
    ['hash ', 'a known name with a space inside its quotes'],
    ['valuf', 'a name as long as "value"'],
  ])('takes "%s" for no field it knows (%s)', (name) => {
    const entry = createEntry('k', { n: 1 });
    const renamed = Buffer.from(fileBytes(entry).toString().replace('"hash":', `"${name}":`));
    expect(readWrittenEntry(renamed)).toBeUndefined();
  });
});

