import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PrecomputeExplorer } from './discovery/precompute.explorer';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import type { PrecomputedHandler } from './discovery/precomputed-handler';
import { CombinationRunner, Computations } from './engine/combination-runner';
import { HandlerPlans } from './engine/handler-plans';
import { PrecomputeEngine } from './engine/precompute.engine';
import { FreshnessPolicy } from './freshness/freshness-policy';
import { RefreshScheduler } from './freshness/refresh.scheduler';
import { CronRefreshScheduler } from './freshness/cron-refresh.scheduler';
import { isEdited } from './storage/cache-entry';
import type { PrecomputeSummary } from './interfaces/precompute-status.interface';
import { messages } from './precompute.messages';
import { PrecomputeLogger } from './precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from './precompute.options';
import { PRECOMPUTE_STORE, type PrecomputeStore } from './storage/precompute-store.interface';

/** How long shutdown waits for the computations under way to finish and be stored. */
const SHUTDOWN_WAIT_MS = 10_000;

/**
 * The module's lifecycle: at bootstrap, discover handlers, open the store and
 * run the precompute (blocking, in the background, or not at all); at
 * shutdown, stop starting work and persist what is done.
 */
@Injectable()
export class PrecomputeOrchestrator implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private resolveReady!: (summary: PrecomputeSummary) => void;
  private rejectReady!: (error: Error) => void;
  /** Settles when the startup precompute has finished. */
  readonly ready: Promise<PrecomputeSummary> = new Promise((resolve, reject) => {
    this.resolveReady = resolve;
    this.rejectReady = reject;
  });
  private opened = false;

  constructor(
    private readonly explorer: PrecomputeExplorer,
    private readonly registry: PrecomputeRegistry,
    private readonly engine: PrecomputeEngine,
    private readonly plans: HandlerPlans,
    private readonly runner: CombinationRunner,
    private readonly computations: Computations,
    private readonly policy: FreshnessPolicy,
    private readonly scheduler: RefreshScheduler,
    private readonly cron: CronRefreshScheduler,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly logger: PrecomputeLogger,
  ) {
    // whenReady() callers see the failure; nobody awaiting it must not crash the process
    this.ready.catch(() => undefined);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const handlers = await this.explorer.explore();
      this.registry.register(handlers);
      await this.store.open({ logger: this.logger });
      this.opened = true;
      // How many combinations of each handler the store holds: one lookup per combination, shared by both reports
      const held = handlers.map((handler) => this.plans.held(handler));
      this.reportOrphans(handlers, held);
      if (this.options.startup === 'off') {
        this.resolveReady(this.summaryWithoutRun(handlers, held));
        return;
      }
      const run = this.engine
        .run(handlers, (handler) => this.startupCombinations(handler))
        .then((summary) => this.finish(summary))
        .then((summary) => {
          // Stale and outdated entries are refreshed after startup, never delaying it
          this.scheduler.start(handlers);
          this.cron.start(handlers);
          return summary;
        });
      if (this.options.startup === 'blocking') await run;
      else run.catch((error: Error) => this.logger.error(error.message));
    } catch (error) {
      this.rejectReady(error as Error);
      throw error;
    }
  }

  /**
   * Shutting down (SIGTERM with enableShutdownHooks, app.close()): no new work starts, and the
   * computations under way finish and are stored before the store closes, so a result whose
   * handler returned is kept; a handler still running after SHUTDOWN_WAIT_MS is left behind.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.runner.stop();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), SHUTDOWN_WAIT_MS)));
    const outcome = await Promise.race([this.computations.settled(), waited]);
    clearTimeout(timer);
    if (outcome === 'late') this.logger.warn(`Shutting down with computations still running after ${SHUTDOWN_WAIT_MS / 1000} s; their results are not stored`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.opened) await this.store.close();
  }

  /** Missing combinations, and with `versionChangeAtStartup: 'blocking'` those of an older version. */
  private startupCombinations(handler: PrecomputedHandler) {
    if (this.options.versionChangeAtStartup !== 'blocking') return this.plans.missing(handler);
    return this.plans.of(handler).filter((combination) => {
      const entry = this.store.get(combination.key);
      return !entry || (this.policy.isOutdated(handler, entry) && !isEdited(entry));
    });
  }

  private finish(summary: PrecomputeSummary): PrecomputeSummary {
    if (summary.failed > 0 && this.options.failOnError) {
      const error = new Error(messages.runFailed(summary.failed, summary.failures.map((f) => `  ${f.key}: ${f.error}`).join('\n')));
      this.rejectReady(error);
      throw error;
    }
    this.resolveReady(summary);
    return summary;
  }

  private summaryWithoutRun(handlers: readonly PrecomputedHandler[], held: readonly number[]): PrecomputeSummary {
    const missing = handlers.reduce((sum, handler, index) => sum + this.plans.of(handler).length - held[index], 0);
    const total = handlers.reduce((sum, handler) => sum + handler.total, 0);
    if (missing > 0) {
      // A store holding part of its entries in memory (RedisStore's localCache) cannot tell those from missing ones without reading them
      this.logger.warn(
        this.store.fetch
          ? `startup is 'off': ${missing} of ${total} combinations are not held in this process's memory; each is read from ${this.store.describe()} when asked for, and answered live only if it is not there`
          : `startup is 'off': ${missing} of ${total} combinations are not in ${this.store.describe()} and are answered live`,
      );
    }
    return { cached: total - missing, computed: 0, failed: 0, skipped: missing, durationMs: 0, failures: [] };
  }

  /** Entries that match no combination any more are kept (they may hold hand edits) and counted here. */
  private reportOrphans(handlers: readonly PrecomputedHandler[], held: readonly number[]): void {
    // The usual case, every entry a current combination, costs no set of keys
    let stored = 0;
    for (const _ of this.store.entries()) stored++;
    if (held.reduce((sum, cached) => sum + cached, 0) === stored) return;
    const current = new Set<string>();
    for (const handler of handlers) {
      for (const combination of this.plans.of(handler)) current.add(combination.key);
    }
    // A handler whose data domains failed has no current combinations: its entries are still served, not orphans
    const unknown = handlers.filter((handler) => handler.plan.failure !== undefined).map((handler) => handler.route.template);
    const orphans = new Map<string, number>();
    for (const entry of this.store.entries()) {
      if (current.has(entry.key)) continue;
      if (unknown.length && unknown.some((template) => template.match(keyPath(entry.key)) !== undefined)) continue;
      const route = entry.key.split('?')[0];
      orphans.set(route, (orphans.get(route) ?? 0) + 1);
    }
    for (const [route, count] of orphans) {
      this.logger.warn(
        `${count} entr${count === 1 ? 'y' : 'ies'} of ${route} in ${this.store.describe()} match no current combination; ` +
          'kept as they are (delete them from the file by hand if they are no longer needed)',
      );
    }
  }
}

/** The URL path of a key (`GET /stores/101/report?x=1 -H '...'` → `/stores/101/report`). */
function keyPath(key: string): string {
  return key.slice(key.indexOf(' ') + 1).split(/[?\s]/)[0];
}
