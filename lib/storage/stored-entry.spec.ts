import { describe, expect, it } from '@jest/globals';
import { entryOf, entryValue, isEdited, type CacheEntry, type EncodedResponse } from './cache-entry';
import { toEntry } from './json-file/cache-file-format';
import { readStoredResponse, storedJson, storedMeta, storedValueText } from './stored-entry';

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
  const indented = { ...storedMeta(entry), computedAt: new Date(entry.computedAt).toISOString(), hash: entry.hash, value: JSON.parse(storedValueText(entry, 2)) };
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
