import { Inject, Injectable, type Type } from '@nestjs/common';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import type { PrecomputedHandler } from './discovery/precomputed-handler';
import { toRawValue } from './domains/domain-values';
import { HandlerPlans, type Combination } from './engine/handler-plans';
import { HandlerStats } from './engine/handler-stats';
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
      const counts = {
        handler: handler.name,
        route: `GET ${handler.keys.route.path}`,
        total: handler.total,
        cached: handler.total - this.plans.missing(handler).length,
        ...this.stats.of(handler),
        ...this.answered(handler),
      };
      return { ...counts, ...this.collector.observe(handler, counts) };
    });
  }

  /** 4xx answers the store holds for a handler, by status (present only when there are some). */
  private answered(handler: PrecomputedHandler): Pick<HandlerStatus, 'answered'> {
    const answered: Record<number, number> = {};
    for (const combination of this.plans.of(handler)) {
      const status = this.store.get(combination.key)?.status;
      if (status !== undefined) answered[status] = (answered[status] ?? 0) + 1;
    }
    return Object.keys(answered).length ? { answered } : {};
  }

  /**
   * The cache key of one combination, e.g. `GET /sales-report?store_id=101&subregion=EMEA`.
   * `params` holds query keys and route params by name; values may be strings, numbers or booleans.
   */
  keyOf(controller: Type, method: string, params: Record<string, unknown> = {}): string {
    const handler = this.registry.findByName(controller, method);
    if (!handler) throw new Error(messages.notAPrecomputedHandler(`${controller.name}.${method}`));
    return handler.keys.keyOf(handler.keys.params.map((param) => toRawValue(params[param.name])));
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
   * unless `force` is set.
   */
  async refresh(target: PrecomputeTarget = {}, options: { force?: boolean } = {}): Promise<PrecomputeSummary> {
    return this.queue.refresh(this.combinationsOf(target), { force: options.force, reason: 'on demand' });
  }

  /**
   * Drops the targeted entries: the next request for one runs live (and stores
   * its result), and the next start computes what is still missing. Resolves
   * with the number of entries dropped.
   */
  async invalidate(target: PrecomputeTarget = {}): Promise<number> {
    const keys = this.combinationsOf(target)
      .map((combination) => combination.key)
      .filter((key) => this.store.get(key) !== undefined);
    await this.store.delete(keys);
    return keys.length;
  }

  private combinationsOf(target: PrecomputeTarget): Combination[] {
    const handlers = this.registry.all().filter(
      (handler) =>
        (target.controller === undefined || handler.controller === target.controller) &&
        (target.method === undefined || handler.methodName === target.method),
    );
    if (handlers.length === 0) {
      const name = `${target.controller?.name ?? '*'}.${target.method ?? '*'}`;
      throw new Error(messages.noHandlerMatches(name));
    }
    const wanted = Object.entries(target.params ?? {}).map(([name, value]) => [name, toRawValue(value)] as const);
    return handlers.flatMap((handler) => {
      const positions = wanted.map(([name, raw]) => {
        const index = handler.keys.params.findIndex((param) => param.name === name);
        if (index < 0) throw new Error(messages.unknownTargetParam(handler.name, name, handler.keys.params.map((param) => param.name)));
        return [index, raw] as const;
      });
      return this.plans.of(handler).filter((combination) => positions.every(([index, raw]) => combination.values[index] === raw));
    });
  }
}
