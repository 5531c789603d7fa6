import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { RawValue } from '../domains/domain-values';
import { combinations } from '../plan/combinations';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';

/** One combination of a handler: its parameter values and its cache key. */
export interface Combination {
  readonly handler: PrecomputedHandler;
  readonly key: string;
  readonly values: readonly RawValue[];
}

/**
 * Every combination of each handler, with its key, built once per plan and
 * looked up by key. Cached by the handler's current keys, so a refresh that
 * reads its data domains again (a new plan) gets new combinations.
 */
@Injectable()
export class HandlerPlans {
  private readonly plans = new WeakMap<object, readonly Combination[]>();
  private readonly byKey = new WeakMap<object, ReadonlyMap<string, Combination>>();

  constructor(@Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore) {}

  /** Every combination of a handler, in plan order. */
  of(handler: PrecomputedHandler): readonly Combination[] {
    let plan = this.plans.get(handler.keys);
    if (!plan) {
      const built: Combination[] = [];
      for (const values of combinations(handler.keys)) {
        const key = handler.keys.keyOf(values);
        // The stored entry's key is the same text: keep one string of it, not two (a plan of a million keys)
        built.push({ handler, key: this.store.get(key)?.key ?? key, values });
      }
      plan = built;
      this.plans.set(handler.keys, plan);
    }
    return plan;
  }

  /** The combination of a handler with this key, if the key is one of its combinations. */
  find(handler: PrecomputedHandler, key: string): Combination | undefined {
    let byKey = this.byKey.get(handler.keys);
    if (!byKey) {
      byKey = new Map(this.of(handler).map((combination) => [combination.key, combination]));
      this.byKey.set(handler.keys, byKey);
    }
    return byKey.get(key);
  }

  /** How many combinations of a handler the store holds (the startup summary; `status()` counts with the collector's figures). */
  held(handler: PrecomputedHandler): number {
    let cached = 0;
    for (const combination of this.of(handler)) if (this.store.get(combination.key)) cached++;
    return cached;
  }

  /** The combinations of a handler that the store does not hold. */
  missing(handler: PrecomputedHandler): Combination[] {
    return this.of(handler).filter((combination) => !this.store.get(combination.key));
  }
}
