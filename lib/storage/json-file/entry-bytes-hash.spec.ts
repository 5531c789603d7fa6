import { describe, expect, it } from '@jest/globals';
import { entryBytesHash } from './entry-bytes-hash';

const entry = Buffer.from('{\n      "computedAt": "2026-11-28T02:06:42.254Z",\n      "value": {"id": "7", "revenue": 1000}\n    }');

/** `bytes` placed `offset` bytes into a larger buffer, with other bytes around it. */
function at(bytes: Uint8Array, offset: number, filler = 0x20): Buffer {
  const buffer = Buffer.alloc(offset + bytes.length + 9, filler);
  buffer.set(bytes, offset);
  return buffer.subarray(offset, offset + bytes.length);
}

describe('entryBytesHash', () => {
  it('is a whole number of at most 48 bits', () => {
    for (const bytes of [entry, Buffer.alloc(0), Buffer.from('x'), Buffer.alloc(4096, 0xff)]) {
      const hashed = entryBytesHash(bytes);
      expect(Number.isSafeInteger(hashed)).toBe(true);
      expect(hashed).toBeGreaterThanOrEqual(0);
      expect(hashed).toBeLessThan(2 ** 48);
    }
  });

  it('depends on the bytes only: the same entry hashes the same at any offset, among any neighbours (an edit earlier in the file moves it)', () => {
    const expected = entryBytesHash(entry);
    for (let offset = 0; offset < 8; offset++) {
      expect(entryBytesHash(at(entry, offset))).toBe(expected);
      expect(entryBytesHash(at(entry, offset, 0x7b))).toBe(expected);
    }
  });

  it('changes when any one byte changes, in any position (the first, a whole word, the last 0 to 3)', () => {
    for (const length of [1, 2, 3, 4, 5, 7, 8, 9, entry.length]) {
      const bytes = entry.subarray(0, length);
      const hashed = entryBytesHash(bytes);
      for (let i = 0; i < length; i++) {
        const edited = Buffer.from(bytes);
        edited[i] ^= 0x01;
        expect(entryBytesHash(edited)).not.toBe(hashed);
        edited[i] ^= 0x81;
        expect(entryBytesHash(edited)).not.toBe(hashed);
      }
    }
  });

  it('changes with the length: trailing zero bytes and an empty entry are not ignored', () => {
    const hashes = [0, 1, 2, 3, 4, 5, 8].map((length) => entryBytesHash(Buffer.alloc(length)));
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('uses both lanes: the high 16 bits vary too', () => {
    const high = new Set<number>();
    for (let n = 0; n < 64; n++) high.add(Math.floor(entryBytesHash(Buffer.from(`"GET /report?id=${n}"`)) / 2 ** 32));
    expect(high.size).toBeGreaterThan(48);
  });

  it('reads each buffer it is given: entries from two buffers at the same offset, alternately', () => {
    const first = at(entry, 3);
    const other = Buffer.from(entry);
    other[40] ^= 0x02;
    const second = at(other, 3);
    expect(entryBytesHash(first)).not.toBe(entryBytesHash(second));
    expect(entryBytesHash(first)).toBe(entryBytesHash(entry));
    expect(entryBytesHash(second)).toBe(entryBytesHash(other));
  });

  it('finds no collision among 100,000 similar entries', () => {
    const seen = new Set<number>();
    for (let n = 0; n < 100_000; n++) seen.add(entryBytesHash(Buffer.from(`{"id":"${n}","revenue":${n % 97}}`)));
    expect(seen.size).toBe(100_000);
  });
});
