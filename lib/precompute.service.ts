import { Inject, Injectable, type Type } from '@nestjs/common';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import { toRawValue } from './domains/domain-values';
import { PrecomputeEngine } from './engine/precompute.engine';
import type { HandlerStatus, PrecomputeSummary } from './interfaces/precompute-status.interface';
import { PrecomputeOrchestrator } from './precompute.orchestrator';
import { PRECOMPUTE_STORE, type PrecomputeStore } from './storage/precompute-store.interface';

/** The runtime API of the module: readiness, figures, and the cached values. */
@Injectable()
export class PrecomputeService {
  constructor(
    private readonly orchestrator: PrecomputeOrchestrator,
    private readonly registry: PrecomputeRegistry,
    private readonly engine: PrecomputeEngine,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
  ) {}

  /** Resolves with the summary once the startup precompute has finished; rejects if it failed. */
  whenReady(): Promise<PrecomputeSummary> {
    return this.orchestrator.ready;
  }

  /** Per handler: total combinations, cached, computed and failed in this process, in progress. */
  status(): HandlerStatus[] {
    return this.engine.status(this.registry.all());
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
}
