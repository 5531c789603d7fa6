import { describe, expect, it } from '@jest/globals';
import { createEntry } from '../cache-entry';
import { entrySize, LocalCache } from './local-cache';

const entry = (key: string, bytes = 100) => createEntry(key, 'x'.repeat(bytes));

describe('LocalCache', () => {
  it('unbounded by default: keeps everything and counts nothing', () => {
    const cache = new LocalCache();
    for (let i = 0; i < 1000; i++) cache.set(entry(`k${i}`));
    expect(cache.bounded).toBe(false);
    expect(cache.size).toBe(1000);
  });

  it('bounded: drops the least recently used entries to stay under maxBytes', () => {
    const size = entrySize(entry('k0'));
    const cache = new LocalCache(size * 3);
    cache.set(entry('k0'));
    cache.set(entry('k1'));
    cache.set(entry('k2'));
    // Reading k0 makes k1 the least recently used
    expect(cache.get('k0')?.key).toBe('k0');
    cache.set(entry('k3'));
    expect([...cache.keys()].sort()).toEqual(['k0', 'k2', 'k3']);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it('replacing an entry counts its new size once', () => {
    const cache = new LocalCache(10_000);
    cache.set(entry('k', 100));
    cache.set(entry('k', 300));
    expect(cache.bytes).toBe(entrySize(entry('k', 300)));
    expect(cache.delete('k')).toBe(true);
    expect(cache.bytes).toBe(0);
  });

  it('an entry larger than the whole budget is not kept (it would evict everything)', () => {
    const cache = new LocalCache(500);
    cache.set(entry('small', 10));
    cache.set(entry('huge', 1000));
    expect(cache.has('huge')).toBe(false);
    expect(cache.has('small')).toBe(true);
  });

  it('fits() says whether an entry fits without evicting', () => {
    const cache = new LocalCache(entrySize(entry('a')) + 10);
    expect(cache.fits(entry('a'))).toBe(true);
    cache.set(entry('a'));
    expect(cache.fits(entry('b'))).toBe(false);
  });
});
