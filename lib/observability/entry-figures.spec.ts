import { describe, expect, it } from '@jest/globals';
import { createEntry, type CacheEntry } from '../storage/cache-entry';
import { entryFigures } from './entry-figures';

const HOUR = 3_600_000;

describe('entryFigures', () => {
  const now = Date.now();
  const fresh = createEntry('GET /a?x=1', { x: 1 }, undefined, now - HOUR / 2);
  const older = createEntry('GET /a?x=2', { x: 'é' }, undefined, now - HOUR / 4 * 3);
  const stale = createEntry('GET /a?x=3', [1, 2], undefined, now - 2 * HOUR);
  const isStale = (entry: CacheEntry) => now - entry.computedAt > HOUR;

  it('counts cached and stale entries and their UTF-8 bytes, skipping missing ones', () => {
    const figures = entryFigures([fresh, undefined, older], HOUR, isStale);
    expect(figures).toEqual({ cached: 2, stale: 0, bytes: '{"x":1}'.length + '{"x":"é"}'.length + 1, nextStaleAt: older.computedAt + HOUR });
  });

  it('a stale entry makes the next refresh due now', () => {
    const figures = entryFigures([fresh, stale], HOUR, isStale);
    expect(figures.stale).toBe(1);
    expect(figures.nextStaleAt).toBeGreaterThanOrEqual(now);
    expect(figures.nextStaleAt).toBeLessThan(fresh.computedAt + HOUR);
  });

  it('without a TTL nothing is due, and a hand edit is never due', () => {
    expect(entryFigures([fresh, stale], undefined, () => false).nextStaleAt).toBeUndefined();
    const edited: CacheEntry = { ...stale, body: '[9]' };
    expect(entryFigures([edited], HOUR, isStale)).toEqual({ cached: 1, stale: 1, bytes: 3 });
  });
});
