import { describe, expect, it } from '@jest/globals';
import { createEntry, entryOf, type CacheEntry } from '../storage/cache-entry';
import { COSTLY_COUNT_MS, COUNT_SPACING, entryFigures, figuresHold } from './entry-figures';

const HOUR = 3_600_000;

describe('entryFigures', () => {
  const now = Date.now();
  const fresh = createEntry('GET /a?x=1', { x: 1 }, undefined, now - HOUR / 2);
  const older = createEntry('GET /a?x=2', { x: 'é' }, undefined, now - HOUR / 4 * 3);
  const stale = createEntry('GET /a?x=3', [1, 2], undefined, now - 2 * HOUR);
  const isStale = (entry: CacheEntry) => now - entry.computedAt > HOUR;

  it('counts cached and stale entries and their UTF-8 bytes, skipping missing ones', () => {
    const figures = entryFigures([fresh, undefined, older], HOUR, isStale);
    expect(figures).toEqual({
      cached: 2,
      stale: 0,
      bytes: '{"x":1}'.length + '{"x":"é"}'.length + 1,
      answered: {},
      nextStaleAt: older.computedAt + HOUR,
      freshUntil: older.computedAt + HOUR,
    });
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
    expect(entryFigures([edited], HOUR, isStale)).toEqual({ cached: 1, stale: 1, bytes: 3, answered: {} });
  });

  it('counts stored 4xx answers by status, and says when a fresh entry, edited or not, turns stale', () => {
    const missing = entryOf('GET /a?x=4', { kind: 'json', body: '{"statusCode":404}', status: 404 }, undefined, now - HOUR / 4);
    const gone = entryOf('GET /a?x=5', { kind: 'json', body: '{"statusCode":410}', status: 410 }, undefined, now - HOUR / 4);
    const editedFresh: CacheEntry = { ...older, body: '{"x":"edited"}' };
    const figures = entryFigures([missing, gone, { ...missing, key: 'GET /a?x=6' }, editedFresh, stale], HOUR, isStale);
    expect(figures.answered).toEqual({ 404: 2, 410: 1 });
    // The edited entry turns stale first (its TTL counts for the stale figure), though it is never refreshed
    expect(figures.freshUntil).toBe(older.computedAt + HOUR);
    expect(figures.nextStaleAt).toBeLessThanOrEqual(Date.now());
    expect(entryFigures([fresh], undefined, () => false).freshUntil).toBeUndefined();
  });
});

describe('entryFigures, whatever the order of the entries', () => {
  const now = Date.now();
  const earlier = createEntry('GET /a?x=1', { x: 1 }, undefined, now - HOUR * 0.75);
  const later = createEntry('GET /a?x=2', { x: 2 }, undefined, now - HOUR * 0.25);
  const isStale = (entry: CacheEntry) => now - entry.computedAt > HOUR;

  it.each([
    ['earliest first', [earlier, later]],
    ['earliest last', [later, earlier]],
  ])('takes the earliest time an entry turns stale (%s)', (_, entries) => {
    const figures = entryFigures(entries, HOUR, isStale);
    expect(figures.nextStaleAt).toBe(earlier.computedAt + HOUR);
    expect(figures.freshUntil).toBe(earlier.computedAt + HOUR);
  });

  it('leaves out the times it does not have (no undefined fields)', () => {
    const figures = entryFigures([later], undefined, () => false);
    expect('nextStaleAt' in figures).toBe(false);
    expect('freshUntil' in figures).toBe(false);
  });
});

describe('figuresHold', () => {
  const plan = [1, 2];
  const figures = { cached: 1, stale: 0, bytes: 1, answered: {}, freshUntil: 1000 };
  // A cheap count (a small cache): exact on every call
  const last = { plan, generation: 7, figures, countedAt: 400, countMs: 2 };

  it('holds while the plan, the store and the time let nothing change', () => {
    expect(figuresHold(last, { plan, generation: 7 }, 1000)).toBe(true);
    expect(figuresHold({ ...last, figures: { ...figures, freshUntil: undefined } }, { plan, generation: 7 }, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it.each([
    ['the store changed', { plan, generation: 8 }, 500],
    ['the store reports no changes', { plan, generation: undefined }, 500],
    ['another plan (the domains were read again)', { plan: [1, 2], generation: 7 }, 500],
    ['an entry turned stale since', { plan, generation: 7 }, 1001],
  ])('does not hold when %s', (_, current, now) => {
    expect(figuresHold(last, current, now)).toBe(false);
  });

  it('does not hold for figures counted from a store that reports no changes', () => {
    expect(figuresHold({ plan, figures, countedAt: 0, countMs: 0 }, { plan, generation: undefined }, 0)).toBe(false);
  });

  describe('after a costly count (a large cache)', () => {
    const costly = { ...last, countedAt: 10_000, countMs: COSTLY_COUNT_MS };
    const spaced = COSTLY_COUNT_MS * COUNT_SPACING;

    it('holds for COUNT_SPACING times its length, though the store changed, reports no changes or an entry turned stale', () => {
      for (const current of [
        { plan, generation: 8 },
        { plan, generation: undefined },
      ]) {
        expect(figuresHold(costly, current, 10_000)).toBe(true);
        expect(figuresHold(costly, current, 10_000 + spaced - 1)).toBe(true);
      }
      expect(figuresHold({ ...costly, figures: { ...figures, freshUntil: 10_001 } }, { plan, generation: 7 }, 10_500)).toBe(true);
    });

    it('then counts again as soon as anything changed', () => {
      expect(figuresHold(costly, { plan, generation: 8 }, 10_000 + spaced)).toBe(false);
      expect(figuresHold(costly, { plan, generation: undefined }, 10_000 + spaced)).toBe(false);
      // Nothing changed in the store, but an entry turned stale (at 1000): counted again
      expect(figuresHold(costly, { plan, generation: 7 }, 10_000 + spaced)).toBe(false);
      // Nothing changed at all: still holds, as after a cheap count
      expect(figuresHold({ ...costly, figures: { ...figures, freshUntil: undefined } }, { plan, generation: 7 }, 10_000 + spaced)).toBe(true);
    });

    it('is spaced by its own length: a count twice as long holds twice as long', () => {
      const longer = { ...costly, countMs: 2 * COSTLY_COUNT_MS };
      expect(figuresHold(longer, { plan, generation: 8 }, 10_000 + 2 * spaced - 1)).toBe(true);
      expect(figuresHold(longer, { plan, generation: 8 }, 10_000 + 2 * spaced)).toBe(false);
    });

    it('a count just under the threshold is not spaced: the next change shows at once', () => {
      expect(figuresHold({ ...costly, countMs: COSTLY_COUNT_MS - 1 }, { plan, generation: 8 }, 10_001)).toBe(false);
    });

    it('another plan is counted at once, however costly the count', () => {
      expect(figuresHold(costly, { plan: [1, 2], generation: 7 }, 10_001)).toBe(false);
    });
  });
});
