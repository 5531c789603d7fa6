import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { errorMessage } from '../engine/error-message';
import { EventLoopTurns, someInTurns } from '../engine/event-loop-turns';
import { HandlerPlans } from '../engine/handler-plans';
import type { DomainSource } from '../plan/handler-plan';
import { PrecomputeLogger } from '../precompute.logger';
import { messages } from '../precompute.messages';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { isEdited } from '../storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { CronSchedule } from './cron-schedule';
import { DomainRefresh, withDomainFailures } from './domain-refresh';
import { RefreshQueue } from './refresh-queue';

/** setTimeout cannot wait longer than 2^31-1 ms (about 24.8 days): longer waits are made of several. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The schedule of one handler (all its routes). */
interface CronJob {
  readonly name: string;
  readonly schedule: CronSchedule;
  readonly handlers: PrecomputedHandler[];
  next?: Date;
  timer?: NodeJS.Timeout;
  running: boolean;
}

/**
 * Refresh on a schedule (`refreshCron`, per handler or module-wide): at each
 * time the expression fires, reads the handler's data domains again, then
 * recomputes its combinations through the refresh queue (old values served
 * until new ones are stored, hand edits kept). The run passes the time it was
 * due, so processes sharing the store, which all fire at that time, compute
 * each combination once: the first to claim a key computes it.
 */
@Injectable()
export class CronRefreshScheduler implements OnApplicationShutdown {
  private readonly jobs = new Map<DomainSource, CronJob>();
  private stopped = false;
  private readonly turns = new EventLoopTurns();

  constructor(
    private readonly queue: RefreshQueue,
    private readonly plans: HandlerPlans,
    private readonly domains: DomainRefresh,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
  ) {}

  /** Arms the timers of the handlers that have a `refreshCron` (their own or the module's). */
  start(handlers: readonly PrecomputedHandler[]): void {
    for (const handler of handlers) {
      const expression = handler.options.refreshCron ?? this.options.refreshCron;
      if (expression === undefined) continue;
      const source = handler.plan.source;
      const job = this.jobs.get(source);
      if (job) {
        job.handlers.push(handler);
        continue;
      }
      const timeZone = handler.options.refreshTimeZone ?? this.options.refreshTimeZone;
      // Validated at startup already (the handler's options and the module's): this cannot throw
      const schedule = new CronSchedule(expression, timeZone, `${source.target.name}: refreshCron`);
      this.jobs.set(source, { name: source.target.name, schedule, handlers: [handler], running: false });
    }
    for (const job of this.jobs.values()) {
      this.arm(job);
      void this.catchUp(job);
    }
  }

  /**
   * A run due while the app was down, or cut short by its shutdown, is made up
   * at start: when an entry of the job was computed before the schedule last
   * fired, the job runs for that time (entries computed since are left alone).
   */
  private async catchUp(job: CronJob): Promise<void> {
    const due = job.schedule.previous(new Date());
    if (due === undefined) return;
    const before = due.getTime();
    for (const handler of job.handlers) {
      const behind = await someInTurns(
        this.plans.of(handler),
        (combination) => {
          const entry = this.store.get(combination.key);
          // A hand edit is never refreshed: an old one asks for no run
          return entry !== undefined && entry.computedAt < before && !isEdited(entry);
        },
        this.turns,
      );
      if (this.stopped) return;
      if (behind) {
        this.logger.log(messages.cronCatchUp(job.name, due.toISOString()));
        return this.fire(job, due);
      }
    }
  }

  /** When the handler's next scheduled refresh is due, or undefined without a `refreshCron`. */
  nextRun(handler: PrecomputedHandler): Date | undefined {
    return this.jobs.get(handler.plan.source)?.next;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
  }

  private arm(job: CronJob): void {
    if (this.stopped) return;
    const due = job.schedule.next(new Date());
    job.next = due;
    this.wait(job, due);
  }

  private wait(job: CronJob, due: Date): void {
    const delay = due.getTime() - Date.now();
    job.timer = setTimeout(() => {
      // A timer may fire a little early, and a long wait is made of several
      if (Date.now() < due.getTime()) return this.wait(job, due);
      this.arm(job);
      void this.fire(job, due);
    }, Math.min(Math.max(delay, 0), MAX_TIMER_MS));
    job.timer.unref();
  }

  private async fire(job: CronJob, due: Date): Promise<void> {
    if (job.running) {
      this.logger.warn(`${job.name}: the scheduled refresh due at ${due.toISOString()} is skipped, the previous one is still running`);
      return;
    }
    job.running = true;
    try {
      const domains = await this.domains.reevaluate(job.handlers);
      const combinations = job.handlers.filter((handler) => !domains.failed(handler)).flatMap((handler) => [...this.plans.of(handler)]);
      const summary = withDomainFailures(
        await this.queue.refresh(combinations, {
          reason: `refreshCron ${job.schedule.expression}, due ${due.toISOString()}`,
          computedBefore: due.getTime(),
        }),
        domains,
      );
      if (summary.failed > 0) this.logger.warn(messages.cronRefreshFailed(job.name, summary.failed, job.next?.toISOString() ?? 'never'));
    } catch (error) {
      this.logger.error(`${job.name}: the scheduled refresh failed: ${errorMessage(error)}`);
    } finally {
      job.running = false;
    }
  }
}
