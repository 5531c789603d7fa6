import { describe, expect, it } from '@jest/globals';
import { entryOf, entryText, entryValue, isEdited, TEXT_AS_BYTES, type CacheEntry, type EncodedResponse } from './cache-entry';
import { toEntry } from './json-file/cache-file-format';
import { ByteSink } from './byte-sink';
import { parseStoredTime, readStoredResponse, storedJson, storedMeta, storedTime, storedValueText, writeStoredValue } from './stored-entry';

/** The value as the cache file holds it: indented by `indent` spaces. */
function indentedValue(entry: CacheEntry, indent: number): string {
  const sink = new ByteSink(4);
  writeStoredValue(sink, entry, indent);
  return sink.view().toString();
}

const PDF = Buffer.from('%PDF-1.4\n\u0000\u00ff tail', 'latin1');
const RESPONSES: Record<string, EncodedResponse> = {
  json: { kind: 'json', body: '{"a":[1,{"b":"ü"}]}' },
  date: { kind: 'json', body: '"2026-01-02T03:04:05.000Z"' },
  text: { kind: 'text', body: 'region,total\nEMEA,12\n' },
  scalar: { kind: 'scalar', body: '42' },
  boolean: { kind: 'scalar', body: 'false' },
  null: { kind: 'null', body: '' },
  undefined: { kind: 'undefined', body: '' },
  buffer: { kind: 'buffer', body: Buffer.from([0, 1, 250, 255]) },
  textFile: { kind: 'file', body: Buffer.from('chunk-1,chunk-2 ✓'), file: { type: 'text/plain' } },
  binaryFile: { kind: 'file', body: PDF, file: { type: 'application/pdf', disposition: 'attachment; filename="r.pdf"', length: PDF.length } },
  notFound: { kind: 'json', body: '{"statusCode":404,"message":"no data"}', status: 404 },
};

/** Through a journal line (compact) and through the file (indented), back to an entry. */
function roundTrips(entry: CacheEntry): CacheEntry[] {
  const compact = JSON.parse(storedJson(entry)) as Record<string, unknown>;
  const indented = { ...storedMeta(entry), computedAt: new Date(entry.computedAt).toISOString(), hash: entry.hash, value: JSON.parse(indentedValue(entry, 2)) };
  return [toEntry(entry.key, compact, 'f'), toEntry(entry.key, indented, 'f')];
}

describe('stored entries', () => {
  it.each(Object.entries(RESPONSES))('%s: round-trips to the same body, kind, status and file headers, unedited', (_name, response) => {
    const entry = entryOf('GET /x', response, undefined, 1000);
    for (const back of roundTrips(entry)) {
      expect(back).toEqual(entry);
      expect(isEdited(back)).toBe(false);
    }
  });

  it('writes a JSON object as it always did: no kind, no encoding', () => {
    expect(JSON.parse(storedJson(entryOf('GET /x', RESPONSES.json, undefined, 0)))).toEqual({
      computedAt: '1970-01-01T00:00:00.000Z',
      hash: expect.any(String),
      value: { a: [1, { b: 'ü' }] },
    });
  });

  it('keeps text readable and encodes binary bytes as base64, saying so', () => {
    expect(JSON.parse(storedValueText(entryOf('k', RESPONSES.text)))).toBe('region,total\nEMEA,12\n');
    expect(storedMeta(entryOf('k', RESPONSES.textFile))).toEqual({ kind: 'file', contentType: 'text/plain' });
    expect(JSON.parse(storedValueText(entryOf('k', RESPONSES.textFile)))).toBe('chunk-1,chunk-2 ✓');
    expect(storedMeta(entryOf('k', RESPONSES.binaryFile))).toEqual({
      kind: 'file',
      contentType: 'application/pdf',
      contentDisposition: 'attachment; filename="r.pdf"',
      contentLength: PDF.length,
      encoding: 'base64',
    });
    expect(JSON.parse(storedValueText(entryOf('k', RESPONSES.binaryFile)))).toBe(PDF.toString('base64'));
    expect(storedMeta(entryOf('k', RESPONSES.notFound))).toEqual({ status: 404 });
  });

  it('an edited text value is an edit; the value reads back as what the handler returned', () => {
    const entry = entryOf('k', RESPONSES.text);
    const edited = toEntry('k', { ...JSON.parse(storedJson(entry)), value: 'region,total\nEMEA,13\n' }, 'f');
    expect(isEdited(edited)).toBe(true);
    expect(entryValue(edited)).toBe('region,total\nEMEA,13\n');
    expect(entryValue(entryOf('k', RESPONSES.scalar))).toBe(42);
    expect(entryValue(entryOf('k', RESPONSES.undefined))).toBeUndefined();
    expect(entryValue(entryOf('k', RESPONSES.buffer))).toEqual(Buffer.from([0, 1, 250, 255]));
  });

  it('refuses what it cannot read, naming the entry and the field', () => {
    expect(() => readStoredResponse('k', { kind: 'xml', value: '' })).toThrow('entry "k" has an unknown "kind" "xml"');
    expect(() => readStoredResponse('k', { kind: 'text', value: 1 })).toThrow('its value is not a string');
    expect(() => readStoredResponse('k', { kind: 'buffer', encoding: 'hex', value: '00' })).toThrow('unknown "encoding" "hex"');
    expect(() => readStoredResponse('k', { status: 99, value: {} })).toThrow('"status" that is not an HTTP status');
    expect(() => toEntry('k', { kind: 'scalar', value: 'x' }, 'cache.json')).toThrow('Cache file cache.json is not valid: entry "k" is of kind "scalar"');
  });
});

describe('stored entries, field by field', () => {
  it('puts the fields of the head first (a Redis value names its key)', () => {
    const text = storedJson(entryOf('GET /x', RESPONSES.text, 'v1', 0), { key: 'GET /x' });
    expect(text.startsWith('{"key":"GET /x","kind":"text","computedAt":"1970-01-01T00:00:00.000Z","version":"v1","hash":')).toBe(true);
    expect(JSON.parse(text).value).toBe('region,total\nEMEA,12\n');
  });

  it('writes null, undefined and scalars as JSON, compact and indented alike', () => {
    expect(storedValueText(entryOf('k', RESPONSES.null))).toBe('null');
    expect(indentedValue(entryOf('k', RESPONSES.undefined), 2)).toBe('null');
    expect(indentedValue(entryOf('k', RESPONSES.scalar), 2)).toBe('42');
    expect(indentedValue(entryOf('k', { kind: 'json', body: '{"a":[1]}' }), 2)).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(storedValueText(entryOf('k', { kind: 'json', body: '{"a":[1]}' }))).toBe('{"a":[1]}');
  });

  it('keeps bytes readable only when they are UTF-8 text without control characters (tab, CR and LF allowed)', () => {
    const encoding = (bytes: number[]) => storedMeta(entryOf('k', { kind: 'buffer', body: Buffer.from(bytes) })).encoding;
    expect(encoding([0x61, 0x09, 0x0d, 0x0a, 0x62])).toBeUndefined();
    expect(encoding([0xc3, 0xbc])).toBeUndefined();
    expect(encoding([0xc3, 0x28])).toBe('base64');
    for (const control of [0x00, 0x08, 0x0b, 0x0c, 0x0e, 0x1f, 0x7f]) expect(encoding([0x61, control])).toBe('base64');
    expect(storedValueText(entryOf('k', { kind: 'buffer', body: Buffer.from('tab\there') }))).toBe('"tab\\there"');
  });

  it('never marks a large text body held as bytes as base64, control characters and all (its value is a JSON string)', () => {
    const entry = entryOf('k', { kind: 'text', body: 'a\u0001'.repeat(TEXT_AS_BYTES) });
    expect(Buffer.isBuffer(entry.body)).toBe(true);
    expect(storedMeta(entry).encoding).toBeUndefined();
    expect(roundTrips(entry).map((read) => entryText(read))).toEqual([entryText(entry), entryText(entry)]);
  });

  it('reads every field back, defaults included', () => {
    expect(readStoredResponse('k', { value: { a: 1 } })).toEqual({ kind: 'json', body: '{"a":1}' });
    expect(readStoredResponse('k', {})).toEqual({ kind: 'json', body: 'null' });
    expect(readStoredResponse('k', { kind: 'scalar', value: true })).toEqual({ kind: 'scalar', body: 'true' });
    expect(readStoredResponse('k', { kind: 'null', value: null })).toEqual({ kind: 'null', body: '' });
    expect(readStoredResponse('k', { kind: 'buffer', value: 'AAE=', encoding: 'base64' })).toEqual({ kind: 'buffer', body: Buffer.from([0, 1]) });
    expect(readStoredResponse('k', { kind: 'buffer', value: 'AAE=' })).toEqual({ kind: 'buffer', body: Buffer.from('AAE=') });
    expect(readStoredResponse('k', { status: 100, value: 1 }).status).toBe(100);
    expect(readStoredResponse('k', { status: 599, value: 1 }).status).toBe(599);
    expect(readStoredResponse('k', { kind: 'file', value: 'x' })).toEqual({ kind: 'file', body: Buffer.from('x'), file: {} });
    expect(readStoredResponse('k', { kind: 'file', value: 'x', contentLength: 0 }).file).toEqual({ length: 0 });
    // A compact JSON body the caller already has stands for a JSON value only; a scalar is read from its value
    expect(readStoredResponse('k', { value: { a: 1 } }, '{"a":1}')).toEqual({ kind: 'json', body: '{"a":1}' });
    expect(readStoredResponse('k', { kind: 'scalar', value: 42 }, '"x"')).toEqual({ kind: 'scalar', body: '42' });
  });

  it('refuses each bad field, naming it', () => {
    expect(() => readStoredResponse('k', { status: 600, value: 1 })).toThrow('entry "k" has a "status" that is not an HTTP status');
    expect(() => readStoredResponse('k', { status: 404.5, value: 1 })).toThrow('"status" that is not an HTTP status');
    expect(() => readStoredResponse('k', { status: '404', value: 1 })).toThrow('"status" that is not an HTTP status');
    expect(() => readStoredResponse('k', { kind: 'scalar', value: 'x' })).toThrow('entry "k" is of kind "scalar" but its value is not a number or boolean');
    expect(() => readStoredResponse('k', { kind: 'buffer', value: 1 })).toThrow('entry "k" is of kind "buffer" but its value is not a string');
    expect(() => readStoredResponse('k', { kind: 'xml', value: '' })).toThrow('(known: json, text, scalar, null, undefined, buffer, file)');
    expect(() => readStoredResponse('k', { encoding: 'hex', value: '' })).toThrow('entry "k" has an unknown "encoding" "hex" (only "base64")');
    expect(() => readStoredResponse('k', { kind: 'file', value: '', contentType: 1 })).toThrow('entry "k" has a "contentType" that is not a string');
    expect(() => readStoredResponse('k', { kind: 'file', value: '', contentDisposition: [] })).toThrow('entry "k" has a "contentDisposition" that is not a string');
    expect(() => readStoredResponse('k', { kind: 'file', value: '', contentLength: -1 })).toThrow('entry "k" has a "contentLength" that is not a whole number');
    expect(() => readStoredResponse('k', { kind: 'file', value: '', contentLength: 1.5 })).toThrow('"contentLength" that is not a whole number');
  });
});

describe('storedTime', () => {
  it('formats each time as ISO 8601, however calls for the same and other times alternate', () => {
    const times = [0, Date.UTC(2026, 10, 27, 23, 59, 59, 999), Date.UTC(2026, 10, 27, 23, 59, 59, 999), 1, 0, 1];
    expect(times.map(storedTime)).toEqual(times.map((ms) => new Date(ms).toISOString()));
  });
});

describe('parseStoredTime', () => {
  it('reads each text as Date.parse does, however calls for the same and other texts alternate', () => {
    const texts = ['2026-11-27T23:36:11.073Z', '2026-11-27T23:36:11.073Z', 'not a date', '', '1970-01-01T00:00:00.000Z', '2026-11-27T23:36:11.073Z'];
    expect(texts.map(parseStoredTime)).toEqual(texts.map((text) => Date.parse(text)));
  });
});
