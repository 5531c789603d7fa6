import type { StartupMode } from '../interfaces/precompute-module-options.interface';
import type { HandlerStatus } from '../interfaces/precompute-status.interface';

/** What the status page shows, and what `?format=json` returns. */
export interface PrecomputeReport {
  generatedAt: string;
  startup: { mode: StartupMode; state: 'running' | 'ready' | 'failed'; error?: string };
  /** Where entries live: `cache.json`, `redis://.../prefix`. */
  store: string;
  totals: { handlers: number; total: number; cached: number; stale: number; failing: number; bytes: number };
  handlers: HandlerStatus[];
}

export function buildReport(
  handlers: HandlerStatus[],
  startup: PrecomputeReport['startup'],
  store: string,
  now = new Date(),
): PrecomputeReport {
  const sum = (pick: (handler: HandlerStatus) => number) => handlers.reduce((total, handler) => total + pick(handler), 0);
  return {
    generatedAt: now.toISOString(),
    startup,
    store,
    totals: {
      handlers: handlers.length,
      total: sum((h) => h.total),
      cached: sum((h) => h.cached),
      stale: sum((h) => h.stale),
      failing: sum((h) => h.failing),
      bytes: sum((h) => h.bytes),
    },
    handlers,
  };
}
