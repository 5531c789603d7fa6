import { describe, expect, it } from '@jest/globals';
import { CronSchedule } from './cron-schedule';

describe('CronSchedule', () => {
  it('gives the next run strictly after a time', () => {
    const nightly = new CronSchedule('0 2 * * *', 'UTC');
    expect(nightly.next(new Date('2026-01-01T01:59:59Z')).toISOString()).toBe('2026-01-01T02:00:00.000Z');
    expect(nightly.next(new Date('2026-01-01T02:00:00Z')).toISOString()).toBe('2026-01-02T02:00:00.000Z');
    expect(nightly.delayFrom(new Date('2026-01-01T01:00:00Z'))).toBe(3_600_000);
  });

  it('honours the time zone, across daylight saving changes', () => {
    const paris = new CronSchedule('0 2 * * *', 'Europe/Paris');
    // Winter: 02:00 in Paris is 01:00 UTC
    expect(paris.next(new Date('2026-01-10T00:00:00Z')).toISOString()).toBe('2026-01-10T01:00:00.000Z');
    // Summer: 02:00 in Paris is 00:00 UTC
    expect(paris.next(new Date('2026-07-10T01:00:00Z')).toISOString()).toBe('2026-07-11T00:00:00.000Z');
    // 29 March 2026: 02:00 does not exist in Paris (clocks jump to 03:00); the run is not skipped
    const spring = paris.next(new Date('2026-03-28T23:30:00Z'));
    expect(spring.getTime()).toBeGreaterThan(new Date('2026-03-28T23:30:00Z').getTime());
    expect(spring.getTime()).toBeLessThan(new Date('2026-03-30T00:00:00Z').getTime());
  });

  it('accepts seconds and aliases, as @nestjs/schedule does', () => {
    expect(new CronSchedule('*/10 * * * * *').next(new Date('2026-01-01T00:00:05Z')).toISOString()).toBe('2026-01-01T00:00:10.000Z');
    expect(new CronSchedule('@daily', 'UTC').next(new Date('2026-01-01T12:00:00Z')).toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('gives the last run strictly before a time, looking back as far as the schedule needs', () => {
    const previous = (expression: string, before: string, timeZone = 'UTC') => new CronSchedule(expression, timeZone).previous(new Date(before))?.toISOString();
    expect(previous('0 2 * * *', '2026-01-01T02:00:00.001Z')).toBe('2026-01-01T02:00:00.000Z');
    expect(previous('0 2 * * *', '2026-01-01T02:00:00.000Z')).toBe('2025-12-31T02:00:00.000Z');
    expect(previous('*/10 * * * * *', '2026-01-01T00:00:59.500Z')).toBe('2026-01-01T00:00:50.000Z');
    expect(previous('0 0 1 1 *', '2026-11-28T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z');
    // A leap day: almost four years back
    expect(previous('0 0 29 2 *', '2028-02-28T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
    // Dense, then silent: every minute of working hours, asked on a Saturday (more firings in the day than are walked one by one)
    expect(previous('* 9-17 * * 1-5', '2026-11-28T12:00:00.000Z')).toBe('2026-11-27T17:59:00.000Z');
    expect(previous('* 9-17 * * 1-5', '2026-11-27T12:00:30.000Z')).toBe('2026-11-27T12:00:00.000Z');
    // Exactly at a firing, past the firings walked one by one: strictly before it
    expect(previous('* 9-17 * * 1-5', '2026-11-27T12:00:00.000Z')).toBe('2026-11-27T11:59:00.000Z');
    // In the schedule's time zone: 02:00 in Paris is 01:00 UTC in winter
    expect(previous('0 2 * * *', '2026-01-10T12:00:00.000Z', 'Europe/Paris')).toBe('2026-01-10T01:00:00.000Z');
  });

  it('refuses invalid expressions and zones with a message saying where and how to fix it', () => {
    expect(() => new CronSchedule('61 * * * *', undefined, 'SalesController.get: @Precomputed({ refreshCron })')).toThrow(
      'SalesController.get: @Precomputed({ refreshCron }): "61 * * * *" is not a valid cron expression (Field value (61) is out of range). Use five fields',
    );
    expect(() => new CronSchedule('every night')).toThrow('refreshCron: "every night" is not a valid cron expression');
    expect(() => new CronSchedule('')).toThrow('is not a valid cron expression (it is empty)');
    expect(() => new CronSchedule('0 2 * * *', 'Mars/Base')).toThrow('refreshCron: "Mars/Base" is not a known time zone');
  });
});

describe('CronSchedule, blank or missing expressions', () => {
  it('calls a blank expression, or none at all (plain JavaScript, an unset variable), empty', () => {
    expect(() => new CronSchedule('   ', undefined, 'Reports.get')).toThrow('Reports.get: "   " is not a valid cron expression (it is empty)');
    expect(() => new CronSchedule(undefined as unknown as string)).toThrow('refreshCron: "undefined" is not a valid cron expression (it is empty)');
  });

  it('keeps the expression and time zone it was given', () => {
    const schedule = new CronSchedule('0 2 * * *', 'UTC');
    expect([schedule.expression, schedule.timeZone]).toEqual(['0 2 * * *', 'UTC']);
  });
});
