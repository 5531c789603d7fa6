import { Inject, Injectable, type Type } from '@nestjs/common';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import type { PrecomputedHandler } from './discovery/precomputed-handler';
import { toRawValue } from './domains/domain-values';
import { HandlerPlans, type Combination } from './engine/handler-plans';
import { HandlerStats } from './engine/handler-stats';
import { CronRefreshScheduler } from './freshness/cron-refresh.scheduler';
import { DomainRefresh, withDomainFailures } from './freshness/domain-refresh';
import { RefreshQueue } from './freshness/refresh-queue';
import type { HandlerStatus, PrecomputeSummary } from './interfaces/precompute-status.interface';
import { PrecomputeStatusCollector } from './observability/precompute-status.collector';
import { messages } from './precompute.messages';
import { PrecomputeOrchestrator } from './precompute.orchestrator';
import { entryValue } from './storage/cache-entry';
import { PRECOMPUTE_STORE, type PrecomputeStore } from './storage/precompute-store.interface';

/** Which combinations `refresh()` and `invalidate()` act on. Empty: every precomputed handler. */
export interface PrecomputeTarget {
  /** A controller class: its `@Precomputed()` handlers. */
  readonly controller?: Type;
  /** One handler of `controller`, by method name. */
  readonly method?: string;
  /** Only combinations with these values (query keys and route params by name), e.g. `{ subregion: 'EMEA' }`. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The runtime API of the module: readiness, figures, the cached values, refresh and invalidation. */
@Injectable()
export class PrecomputeService {
  constructor(
    private readonly orchestrator: PrecomputeOrchestrator,
    private readonly registry: PrecomputeRegistry,
    private readonly plans: HandlerPlans,
    private readonly stats: HandlerStats,
    private readonly queue: RefreshQueue,
    private readonly domains: DomainRefresh,
    private readonly cron: CronRefreshScheduler,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    private readonly collector: PrecomputeStatusCollector,
  ) {}

  /** Resolves with the summary once the startup precompute has finished; rejects if it failed. */
  whenReady(): Promise<PrecomputeSummary> {
    return this.orchestrator.ready;
  }

  /**
   * Per handler: total combinations, cached, computed and failed in this process, in progress,
   * the 4xx answers held; coverage, stale entries, bytes, answers by kind and status, failures
   * with their last error, the last and next refresh, progress of a run under way, and which
   * path serves hits (what the status page shows).
   */
  status(): HandlerStatus[] {
    return this.registry.all().map((handler) => {
      const next = this.cron.nextRun(handler);
      // One pass over the plan for every figure, reused while nothing changed (4xx answers present only when there are some)
      const { cached, answered } = this.collector.figures(handler);
      const counts = {
        handler: handler.name,
        // The version's label too (`-H 'X-API-Version: 2'`): versions of one path are different routes
        route: `GET ${handler.keys.route.path}${handler.keys.route.label ?? ''}`,
        total: handler.total,
        cached,
        ...this.stats.of(handler),
        ...(Object.keys(answered).length ? { answered } : {}),
        ...(next ? { nextRefresh: next.toISOString() } : {}),
      };
      return { ...counts, ...this.collector.observe(handler, counts) };
    });
  }

  /**
   * The cache key of one combination, e.g. `GET /sales-report?store_id=101&subregion=EMEA`.
   * `params` holds query keys and route params by name; values may be strings, numbers or booleans.
   */
  keyOf(controller: Type, method: string, params: Record<string, unknown> = {}): string {
    const handler = this.registry.findByName(controller, method);
    if (!handler) throw new Error(messages.notAPrecomputedHandler(`${controller.name}.${method}`));
    const names = handler.keys.params.map((param) => param.name);
    for (const name of Object.keys(params)) {
      if (!names.includes(name)) throw new Error(messages.unknownTargetParam(handler.name, name, names));
    }
    const values = handler.keys.params.map((param) => {
      const raw = toRawValue(params[param.name]);
      if (!param.values.includes(raw)) throw new Error(messages.notAPrecomputedValue(handler.name, param.name, raw, param.values));
      return raw;
    });
    return handler.keys.keyOf(values);
  }

  /**
   * The cached value of one combination, made from the body a client receives:
   * the parsed JSON, a string, or the bytes of a Buffer or file; undefined when not cached.
   */
  get<T = unknown>(controller: Type, method: string, params: Record<string, unknown> = {}): T | undefined {
    const entry = this.store.get(this.keyOf(controller, method, params));
    return entry === undefined ? undefined : (entryValue(entry) as T);
  }

  /**
   * Recomputes the targeted combinations now, sharing work already under way,
   * and resolves with a summary. The old values are served until the new ones
   * are stored; a failure keeps the old value. Entries a person edited are kept
   * unless `force` is set. Handlers whose domains come from data read them
   * again first: new values are computed, removed ones are no longer served
   * from the cache; when that data fails, the handler's previous values stay
   * and the summary counts the failure.
   */
  async refresh(target: PrecomputeTarget = {}, options: { force?: boolean } = {}): Promise<PrecomputeSummary> {
    const handlers = this.handlersOf(target);
    this.combinationsOf(target, handlers);
    const domains = await this.domains.reevaluate(handlers);
    const refreshed = handlers.filter((handler) => !domains.failed(handler));
    const summary = await this.queue.refresh(this.combinationsOf(target, refreshed), {
      force: options.force,
      reason: 'on demand',
      leftAtShutdown: 'not refreshed: they keep their values until refresh() is called again',
    });
    return withDomainFailures(summary, domains);
  }

  /**
   * Drops the targeted entries: the next request for one runs live (and stores
   * its result), and the next start computes what is still missing. Resolves
   * with the number of entries dropped.
   */
  async invalidate(target: PrecomputeTarget = {}): Promise<number> {
    const keys = this.combinationsOf(target, this.handlersOf(target))
      .map((combination) => combination.key)
      .filter((key) => this.store.get(key) !== undefined);
    await this.store.delete(keys);
    return keys.length;
  }

  private handlersOf(target: PrecomputeTarget): PrecomputedHandler[] {
    const handlers = this.registry.all().filter(
      (handler) =>
        (target.controller === undefined || handler.controller === target.controller) &&
        (target.method === undefined || handler.methodName === target.method),
    );
    if (handlers.length === 0) {
      const name = `${target.controller?.name ?? '*'}.${target.method ?? '*'}`;
      throw new Error(messages.noHandlerMatches(name));
    }
    return handlers;
  }

  /** The combinations of `handlers` that `target.params` selects; throws on a parameter name a handler does not have. */
  private combinationsOf(target: PrecomputeTarget, handlers: readonly PrecomputedHandler[]): Combination[] {
    const wanted = Object.entries(target.params ?? {}).map(([name, value]) => [name, toRawValue(value)] as const);
    // Targeting a whole controller by values: its handlers that have those parameters
    const having = target.method === undefined ? handlers.filter((handler) => wanted.every(([name]) => hasParam(handler, name))) : handlers;
    if (having.length === 0 && handlers.length > 0) {
      const described = handlers.map((handler) => `${handler.name} (${handler.keys.params.map((param) => param.name).join(', ') || 'no parameters'})`);
      throw new Error(messages.noHandlerHasParams(wanted.map(([name]) => name), described));
    }
    return having.flatMap((handler) => {
      const positions = wanted.map(([name, raw]) => {
        const index = handler.keys.params.findIndex((param) => param.name === name);
        if (index < 0) throw new Error(messages.unknownTargetParam(handler.name, name, handler.keys.params.map((param) => param.name)));
        return [index, raw] as const;
      });
      return this.plans.of(handler).filter((combination) => positions.every(([index, raw]) => combination.values[index] === raw));
    });
  }
}

function hasParam(handler: PrecomputedHandler, name: string): boolean {
  return handler.keys.params.some((param) => param.name === name);
}
