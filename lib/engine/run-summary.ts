import type { PrecomputeSummary } from '../interfaces/precompute-status.interface';
import { countComputed, describeAnswered } from './answered-counts';
import type { Outcome } from './combination-runner';

type Counts = Pick<PrecomputeSummary, 'cached' | 'computed' | 'failed' | 'skipped'>;

/** The figures of a run or a refresh, added up as combinations finish. */
export class RunSummary implements Counts {
  cached = 0;
  computed = 0;
  failed = 0;
  skipped = 0;
  /** 4xx answers by status: counted in `computed` too, and shown as "answered 404". */
  answered: Record<number, number> = {};
  private readonly failures: Array<{ key: string; error: string }> = [];
  private readonly startedAt = Date.now();

  /** Counts what computing `key` came to. */
  add(key: string, outcome: Outcome): void {
    if ('error' in outcome) {
      this.failed++;
      this.failures.push({ key, error: outcome.error });
    } else if ('skipped' in outcome) this.skipped++;
    else if (outcome.elsewhere) this.cached++;
    else countComputed(this, outcome.entry);
  }

  snapshot(): Counts {
    return { cached: this.cached, computed: this.computed, failed: this.failed, skipped: this.skipped };
  }

  /** ` (2 answered 404)` for the 4xx answers counted since `before`, or nothing. */
  answeredSince(before: Readonly<Record<number, number>>): string {
    return describeAnswered(this.answered, before);
  }

  since(before: Counts): Counts {
    return {
      cached: this.cached - before.cached,
      computed: this.computed - before.computed,
      failed: this.failed - before.failed,
      skipped: this.skipped - before.skipped,
    };
  }

  done(): PrecomputeSummary {
    const answered = Object.keys(this.answered).length ? { answered: { ...this.answered } } : {};
    return { ...this.snapshot(), ...answered, durationMs: Date.now() - this.startedAt, failures: [...this.failures] };
  }
}
