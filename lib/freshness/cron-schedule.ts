import { CronTime } from 'cron';
import { messages } from '../precompute.messages';

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

  /** Milliseconds from `now` to the next run (what a timer waits). */
  delayFrom(now: Date): number {
    return this.next(now).getTime() - now.getTime();
  }
}
