import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { errorMessage } from '../engine/error-message';
import { HandlerPlans } from '../engine/handler-plans';
import type { PrecomputeSummary } from '../interfaces/precompute-status.interface';
import type { DomainSource } from '../plan/handler-plan';
import type { PlannedKeys } from '../plan/planned-keys';
import { resolveHandlerDomains } from '../plan/resolve-handler-domains';
import { PrecomputeLogger } from '../precompute.logger';
import { messages } from '../precompute.messages';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';

/** What a re-evaluation came to: the handlers whose domains failed (to leave out of the refresh), and why. */
export interface DomainRefreshResult {
  readonly failures: ReadonlyArray<{ key: string; error: string }>;
  failed(handler: PrecomputedHandler): boolean;
}

/**
 * Reads the data domains (domain functions, `combinations`) of handlers again
 * before a refresh of them (on demand, on a schedule): the new values replace
 * the handler's plan, so a value that appears is computed by the refresh and
 * one that disappears is no longer served from the cache (its entry stays in
 * the store, reported). When the data fails, the previous plan stays in use
 * and the handler's refresh fails with a message naming handler and parameter.
 */
@Injectable()
export class DomainRefresh {
  constructor(
    private readonly plans: HandlerPlans,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    private readonly logger: PrecomputeLogger,
  ) {}

  async reevaluate(handlers: readonly PrecomputedHandler[]): Promise<DomainRefreshResult> {
    // Every route of a handler shares one source: its functions run once
    const bySource = new Map<DomainSource, PrecomputedHandler[]>();
    for (const handler of handlers) {
      if (!handler.plan.source.dynamic) continue;
      bySource.set(handler.plan.source, [...(bySource.get(handler.plan.source) ?? []), handler]);
    }
    const failures: Array<{ key: string; error: string }> = [];
    const failedSources = new Set<DomainSource>();
    for (const [source, routes] of bySource) {
      const resolved = await this.resolve(source);
      if ('failure' in resolved) {
        // The message names the handler and the parameter, and says the entries already cached stay served
        this.logger.error(resolved.failure);
        failures.push({ key: source.target.name, error: resolved.failure });
        failedSources.add(source);
        for (const handler of routes) handler.plan.fail(resolved.failure);
        continue;
      }
      for (const handler of routes) this.replacePlan(handler, resolved.keys);
    }
    return { failures, failed: (handler) => failedSources.has(handler.plan.source) };
  }

  /** The new keys, or why there are none (the data failed; a refused list; anything else that threw). */
  private async resolve(source: DomainSource): Promise<{ keys: PlannedKeys } | { failure: string }> {
    try {
      const resolved = await resolveHandlerDomains(source.target, source.context);
      if (resolved.failure !== undefined) return { failure: resolved.failure };
      return resolved.problems.length ? { failure: resolved.problems.join('\n') } : { keys: resolved.keys };
    } catch (error) {
      return { failure: errorMessage(error) };
    }
  }

  /** Swaps in the new plan and reports stored entries whose values left the domain. */
  private replacePlan(handler: PrecomputedHandler, keys: PlannedKeys): void {
    const before = this.plans.of(handler).map((combination) => combination.key);
    handler.plan.use(keys);
    const now = new Set(this.plans.of(handler).map((combination) => combination.key));
    const left = before.filter((key) => !now.has(key) && this.store.get(key) !== undefined);
    if (left.length) this.logger.warn(messages.valuesLeftDomain(handler.name, left.length, left.slice(0, 5), this.store.describe()));
  }
}

/** A refresh's summary with the handlers whose domains failed counted as failures. */
export function withDomainFailures(summary: PrecomputeSummary, result: DomainRefreshResult): PrecomputeSummary {
  if (result.failures.length === 0) return summary;
  return { ...summary, failed: summary.failed + result.failures.length, failures: [...result.failures, ...summary.failures] };
}
