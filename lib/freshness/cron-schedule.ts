import { CronTime } from 'cron';
import { messages } from '../precompute.messages';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far back `previous` looks, widening until it finds a firing: up to four years and a day (a 29 February). */
/** Firings walked one by one before `previous` halves the rest of its window. */
const WALK_STEPS = 8;
const LOOK_BACK_MS = [MINUTE, 10 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, DAY, 7 * DAY, 32 * DAY, 367 * DAY, 4 * 366 * DAY + DAY];

/**
 * When a cron expression fires, in a time zone: the pure part of scheduled
 * refreshes (`refreshCron`). Parsing and time arithmetic are the `cron`
 * package's, the parser `@nestjs/schedule` uses, so expressions mean the same
 * as in `@Cron()`: five fields, or six with seconds first, plus aliases such
 * as `@daily`; daylight-saving changes follow the time zone.
 */
export class CronSchedule {
  private readonly time: CronTime;

  /**
   * `timeZone`: an IANA name; without one, the process's local time zone (as `@Cron()`).
   * Throws a message naming the expression (and `where` it was written) when it or the zone is invalid.
   */
  constructor(
    readonly expression: string,
    readonly timeZone?: string,
    where = 'refreshCron',
  ) {
    if (typeof expression !== 'string' || expression.trim() === '') {
      throw new Error(messages.invalidCron(where, String(expression), 'it is empty'));
    }
    try {
      this.time = new CronTime(expression, timeZone);
    } catch (error) {
      const detail = (error as Error).message;
      throw new Error(
        /timezone/i.test(detail)
          ? messages.invalidCronTimeZone(where, String(timeZone))
          : messages.invalidCron(where, expression, detail),
      );
    }
  }

  /** The first time strictly after `after` at which the expression fires. */
  next(after: Date): Date {
    return this.time.getNextDateFrom(after, this.timeZone).toJSDate();
  }

  /**
   * The last time strictly before `before` at which the expression fired
   * (a run missed while the app was down, or cut short by its shutdown, is
   * made up from it); undefined when it did not fire in the four years and a
   * day before.
   */
  previous(before: Date): Date | undefined {
    const end = before.getTime();
    for (const window of LOOK_BACK_MS) {
      let fired = this.next(new Date(end - window));
      if (fired.getTime() >= end) continue;
      // The last firing in the window: a few steps from firing to firing (each `next` takes a millisecond or two)...
      // Stryker disable next-line EqualityOperator,UpdateOperator,ConditionalExpression,BlockStatement: how many firings are walked before halving (none, or all): speed only, the same last firing either way
      for (let step = 0; step < WALK_STEPS; step++) {
        const later = this.next(fired);
        if (later.getTime() >= end) return fired;
        fired = later;
      }
      // ...then, for a dense schedule (every minute of working days), by halving: the latest time whose next firing is still before `end`
      // `from` keeps a time whose next firing is before `end` (the one walked to last), `to` one whose next firing is not
      let from = fired.getTime() - 1;
      let to = end;
      while (to - from > 1) {
        const middle = Math.floor((from + to) / 2);
        if (this.next(new Date(middle)).getTime() < end) from = middle;
        else to = middle;
      }
      return this.next(new Date(from));
    }
    // Not reached near now: every expression fires within four years and a day (a 29 February), and the cron package looks no
    // further than 8 years from now (around 2100, which is no leap year, a leap-day schedule would get here)
    return undefined;
  }

  /** Milliseconds from `now` to the next run (what a timer waits). */
  delayFrom(now: Date): number {
    return this.next(now).getTime() - now.getTime();
  }
}
