import { describe, expect, it } from '@jest/globals';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { resolveCompress, COMPRESS_DEFAULTS } from './compress-settings';
import { EncodedBodies, representationEtag } from './encoded-bodies';

const body = Buffer.from(JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ i, region: 'EMEA' })) }));

describe('EncodedBodies', () => {
  const bodies = new EncodedBodies({ threshold: 1024, encodings: ['br', 'gzip'], brotliQuality: 5 });

  it('encodes a body once per encoding, and decodes back to the same bytes', async () => {
    const owner = {};
    const first = await bodies.encode(owner, body.toString(), 'br');
    expect(await bodies.encode(owner, body.toString(), 'br')).toBe(first);
    expect(bodies.peek(owner, 'br')).toBe(first);
    expect(brotliDecompressSync(first).equals(body)).toBe(true);
    expect(gunzipSync(await bodies.encode(owner, body, 'gzip')).equals(body)).toBe(true);
    expect(first.length).toBeLessThan(body.length / 5);
  });

  it('has nothing to peek at before the first encode', () => {
    expect(bodies.peek({}, 'gzip')).toBeUndefined();
  });

  it('offers no encoding under the threshold', () => {
    expect(bodies.available(1023)).toEqual([]);
    expect(bodies.available(1024)).toEqual(['br', 'gzip']);
  });
});

describe('representationEtag', () => {
  it('gives each representation its own strong tag', () => {
    expect(representationEtag('"abc"', 'identity')).toBe('"abc"');
    expect(representationEtag('"abc"', 'br')).toBe('"abc-br"');
    expect(representationEtag('"abc"', 'gzip')).toBe('"abc-gzip"');
  });
});

describe('resolveCompress', () => {
  it('is on by default', () => {
    expect(resolveCompress(undefined)).toEqual(COMPRESS_DEFAULTS);
    expect(resolveCompress(true)).toEqual(COMPRESS_DEFAULTS);
    expect(resolveCompress(false)).toBeUndefined();
  });
  it('merges partial settings with the defaults', () => {
    expect(resolveCompress({ threshold: 10 })).toEqual({ ...COMPRESS_DEFAULTS, threshold: 10 });
    expect(resolveCompress({ encodings: ['gzip'] })?.encodings).toEqual(['gzip']);
  });
  it.each([
    [{ threshold: -1 }, 'compress.threshold must be a whole number of bytes, got -1'],
    [{ threshold: 1.5 }, 'compress.threshold'],
    [{ brotliQuality: 12 }, 'compress.brotliQuality must be a whole number from 0 to 11, got 12'],
    [{ encodings: ['deflate'] }, `compress.encodings must list some of 'br', 'gzip', got ["deflate"]`],
    ['yes', 'must be true, false or { threshold, encodings, brotliQuality }, got string yes'],
  ])('refuses %p', (option, message) => {
    expect(() => resolveCompress(option as never)).toThrow(message);
  });
});
