import { describe, expect, it } from '@jest/globals';
import { createEntry, entryOf, entryText, entryValue, hashText, heldBody, TEXT_AS_BYTES } from './cache-entry';
import { formatCacheFile, parseCacheFile } from './json-file/cache-file-format';
import { readStoredResponse, storedJson, storedMeta } from './stored-entry';

const large = 'ü✓'.repeat(TEXT_AS_BYTES / 2);

describe('heldBody: a large JSON or text body is held as its UTF-8 bytes', () => {
  it('keeps JSON and text of TEXT_AS_BYTES characters or more as bytes, and smaller ones as text', () => {
    expect(heldBody('json', large)).toEqual(Buffer.from(large));
    expect(heldBody('text', large)).toEqual(Buffer.from(large));
    expect(heldBody('json', large.slice(1))).toBe(large.slice(1));
    expect(heldBody('scalar', '42')).toBe('42');
    const bytes = Buffer.from([0, 255]);
    expect(heldBody('buffer', bytes)).toBe(bytes);
  });

  it('gives the same hash, text and value either way', () => {
    const value = { rows: large };
    const entry = createEntry('k', value);
    expect(Buffer.isBuffer(entry.body)).toBe(true);
    expect(entry.hash).toBe(hashText(JSON.stringify(value)));
    expect(entryText(entry)).toBe(JSON.stringify(value));
    expect(entryValue(entry)).toEqual(value);
  });

  it('writes it to the file as readable JSON (never base64) and reads it back as bytes', () => {
    const json = createEntry('GET /json', { rows: large }, 'v1', 1000);
    const text = entryOf('GET /text', { kind: 'text', body: large }, undefined, 2000);
    expect(storedMeta(json)).toEqual({});
    expect(storedMeta(text)).toEqual({ kind: 'text' });
    const file = [...formatCacheFile([json, text])].join('');
    expect(JSON.parse(file).entries['GET /text'].value).toBe(large);
    const read = parseCacheFile(file, 'f.json');
    expect(read.get('GET /json')).toEqual(json);
    expect(read.get('GET /text')).toEqual(text);
  });

  it('round-trips through a journal line or Redis value', () => {
    const entry = createEntry('k', [large]);
    const raw = JSON.parse(storedJson(entry)) as Record<string, unknown>;
    expect(readStoredResponse('k', raw).body).toEqual(entry.body);
  });
});
