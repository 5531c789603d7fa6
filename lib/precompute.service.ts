import { Inject, Injectable, type Type } from '@nestjs/common';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import { toRawValue } from './domains/domain-values';
import { PrecomputeEngine } from './engine/precompute.engine';
import type { HandlerStatus, PrecomputeSummary } from './interfaces/precompute-status.interface';
import { PrecomputeStatusCollector } from './observability/precompute-status.collector';
import { PrecomputeOrchestrator } from './precompute.orchestrator';
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
    private readonly engine: PrecomputeEngine,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    private readonly collector: PrecomputeStatusCollector,
  ) {}

  /** Resolves with the summary once the startup precompute has finished; rejects if it failed. */
  whenReady(): Promise<PrecomputeSummary> {
    return this.orchestrator.ready;
  }

  /**
   * Per handler: total combinations, cached, computed and failed in this process, in progress;
   * coverage, stale entries, bytes, answers by kind, failures with their last error, the last
   * and next refresh, progress of a run under way, and which path serves hits.
   */
  status(): HandlerStatus[] {
    return this.collector.describe(this.registry.all(), this.engine.status(this.registry.all()));
  }

  /**
   * The cache key of one combination, e.g. `GET /sales-report?store_id=101&subregion=EMEA`.
   * `params` holds query keys and route params by name; values may be strings, numbers or booleans.
   */
  keyOf(controller: Type, method: string, params: Record<string, unknown> = {}): string {
    const handler = this.registry.findByName(controller, method);
    if (!handler) throw new Error(`${controller.name}.${method} is not a @Precomputed() handler known to this app`);
    return handler.keys.keyOf(handler.keys.params.map((param) => toRawValue(params[param.name])));
  }

  /** The cached value of one combination (the JSON body a client receives), or undefined. */
  get<T = unknown>(controller: Type, method: string, params: Record<string, unknown> = {}): T | undefined {
    return this.store.get(this.keyOf(controller, method, params))?.value as T | undefined;
  }

  /**
   * Recomputes the targeted combinations now, sharing work already under way,
   * and resolves with a summary. The old values are served until the new ones
   * are stored; a failure keeps the old value. Entries a person edited are kept
   * unless `force` is set.
   */
  async refresh(target: PrecomputeTarget = {}, options: { force?: boolean } = {}): Promise<PrecomputeSummary> {
    return this.engine.refresh(this.jobsOf(target), { force: options.force, reason: 'on demand' });
  }

  /**
   * Drops the targeted entries: the next request for one runs live (and stores
   * its result), and the next start computes what is still missing. Resolves
   * with the number of entries dropped.
   */
  async invalidate(target: PrecomputeTarget = {}): Promise<number> {
    const keys = this.jobsOf(target)
      .map((job) => job.key)
      .filter((key) => this.store.get(key) !== undefined);
    await this.store.delete(keys);
    return keys.length;
  }

  private jobsOf(target: PrecomputeTarget) {
    const handlers = this.registry.all().filter(
      (handler) =>
        (target.controller === undefined || handler.controller === target.controller) &&
        (target.method === undefined || handler.methodName === target.method),
    );
    if (handlers.length === 0) {
      const name = `${target.controller?.name ?? '*'}.${target.method ?? '*'}`;
      throw new Error(`${name} matches no @Precomputed() handler known to this app`);
    }
    const wanted = Object.entries(target.params ?? {}).map(([name, value]) => [name, toRawValue(value)] as const);
    return handlers.flatMap((handler) => {
      const positions = wanted.map(([name, raw]) => {
        const index = handler.keys.params.findIndex((param) => param.name === name);
        if (index < 0) throw new Error(`${handler.name} has no parameter "${name}" (it has: ${handler.keys.params.map((param) => param.name).join(', ') || 'none'})`);
        return [index, raw] as const;
      });
      return this.engine.plan(handler).filter((job) => positions.every(([index, raw]) => job.values[index] === raw));
    });
  }
}
