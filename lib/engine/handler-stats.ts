import { Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';

export interface HandlerCounters {
  computed: number;
  failed: number;
  inProgress: number;
}

/** What this process computed per handler (startup and refreshes), for `status()`. */
@Injectable()
export class HandlerStats {
  private readonly counters = new Map<PrecomputedHandler, HandlerCounters>();

  of(handler: PrecomputedHandler): Readonly<HandlerCounters> {
    return this.countersOf(handler);
  }

  started(handler: PrecomputedHandler): void {
    this.countersOf(handler).inProgress++;
  }

  finished(handler: PrecomputedHandler, outcome: 'computed' | 'failed'): void {
    const counters = this.countersOf(handler);
    counters.inProgress--;
    counters[outcome]++;
  }

  private countersOf(handler: PrecomputedHandler): HandlerCounters {
    let counters = this.counters.get(handler);
    if (!counters) {
      counters = { computed: 0, failed: 0, inProgress: 0 };
      this.counters.set(handler, counters);
    }
    return counters;
  }
}
