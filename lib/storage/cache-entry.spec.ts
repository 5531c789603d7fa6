import { describe, expect, it } from '@jest/globals';
import { createEntry, entryOf, entryText, entryValue, hashText, isEdited, sameAnswer, type CacheEntry, type EncodedResponse } from './cache-entry';

describe('hashText', () => {
  it('is sha256 in base64url with its name in front, alike for a text and its UTF-8 bytes', () => {
    expect(hashText('')).toBe('sha256-47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(hashText(Buffer.from('ü'))).toBe(hashText('ü'));
    expect(hashText('a')).not.toBe(hashText('b'));
  });
});

describe('entries', () => {
  it('entryOf keeps the response, its status, file headers and version, and hashes the body', () => {
    const response: EncodedResponse = { kind: 'file', body: Buffer.from('%PDF'), status: 404, file: { type: 'application/pdf' } };
    expect(entryOf('k', response, 'v2', 5)).toEqual({ key: 'k', ...response, computedAt: 5, hash: hashText(Buffer.from('%PDF')), version: 'v2' });
    expect(Object.keys(entryOf('k', { kind: 'text', body: 'x' }, undefined, 5)).sort()).toEqual(['body', 'computedAt', 'hash', 'key', 'kind']);
  });

  it('createEntry stores the JSON of a value, and null for a value without one', () => {
    expect(createEntry('k', { a: 1 }, undefined, 0).body).toBe('{"a":1}');
    expect(createEntry('k', undefined, undefined, 0).body).toBe('null');
  });

  it('is stamped with the current time unless told otherwise', () => {
    const before = Date.now();
    const entry = createEntry('k', 1);
    expect(entry.computedAt).toBeGreaterThanOrEqual(before);
    expect(entry.computedAt).toBeLessThanOrEqual(Date.now());
    expect(entryOf('k', { kind: 'text', body: '' }).computedAt).toBeGreaterThanOrEqual(before);
  });

  it('an entry is edited once its body no longer matches its hash, and stays so', () => {
    const entry = createEntry('k', { a: 1 });
    expect(isEdited(entry)).toBe(false);
    const edited: CacheEntry = { ...entry, body: '{"a":2}' };
    expect(isEdited(edited)).toBe(true);
    expect(isEdited(edited)).toBe(true);
    expect(isEdited({ ...entry, hash: '' })).toBe(true);
  });

  it('entryText reads bytes as UTF-8', () => {
    expect(entryText({ ...createEntry('k', 1), kind: 'buffer', body: Buffer.from('ü') })).toBe('ü');
  });

  it('entryValue gives what the handler returned, and a copy of bytes', () => {
    expect(entryValue(entryOf('k', { kind: 'json', body: '{"a":[1]}' }))).toEqual({ a: [1] });
    expect(entryValue(entryOf('k', { kind: 'scalar', body: 'true' }))).toBe(true);
    expect(entryValue(entryOf('k', { kind: 'text', body: '{"a":1}' }))).toBe('{"a":1}');
    expect(entryValue(entryOf('k', { kind: 'null', body: '' }))).toBeNull();
    expect(entryValue(entryOf('k', { kind: 'undefined', body: '' }))).toBeUndefined();
    const file = entryOf('k', { kind: 'file', body: Buffer.from('abc'), file: {} });
    const value = entryValue(file) as Buffer;
    expect(value).toEqual(Buffer.from('abc'));
    value.write('x');
    expect(file.body).toEqual(Buffer.from('abc'));
  });
});

describe('sameAnswer', () => {
  const base: EncodedResponse = { kind: 'file', body: Buffer.from('ab'), status: 404, file: { type: 't', disposition: 'd', length: 2 } };

  it('compares bytes by content, text with bytes included', () => {
    expect(sameAnswer(base, { ...base, body: Buffer.from('ab') })).toBe(true);
    expect(sameAnswer(base, { ...base, body: 'ab' })).toBe(true);
    expect(sameAnswer({ ...base, body: 'ab' }, base)).toBe(true);
    expect(sameAnswer(base, { ...base, body: Buffer.from('ac') })).toBe(false);
    expect(sameAnswer({ kind: 'text', body: 'a' }, { kind: 'text', body: 'a' })).toBe(true);
    expect(sameAnswer({ kind: 'text', body: 'a' }, { kind: 'text', body: 'b' })).toBe(false);
  });

  it('tells apart kind, status and each file header', () => {
    expect(sameAnswer(base, { ...base, kind: 'buffer' })).toBe(false);
    expect(sameAnswer(base, { ...base, status: undefined })).toBe(false);
    expect(sameAnswer(base, { ...base, file: { ...base.file, type: 'u' } })).toBe(false);
    expect(sameAnswer(base, { ...base, file: { ...base.file, disposition: 'e' } })).toBe(false);
    expect(sameAnswer(base, { ...base, file: { ...base.file, length: 3 } })).toBe(false);
    expect(sameAnswer(base, { ...base, file: undefined })).toBe(false);
  });
});
