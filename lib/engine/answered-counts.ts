import type { PrecomputeSummary } from '../interfaces/precompute-status.interface';
import type { CacheEntry } from '../storage/cache-entry';

/**
 * Counts a computed combination; one answered with a 4xx HttpException also
 * counts as "answered <status>" (an answer, not a failure).
 */
export function countComputed(summary: { computed: number; answered?: Record<number, number> }, entry: CacheEntry | undefined): void {
  summary.computed++;
  if (entry?.status === undefined) return;
  const answered = (summary.answered ??= {});
  answered[entry.status] = (answered[entry.status] ?? 0) + 1;
}

/** ` (2 answered 404)`: the 4xx answers counted since `before`, or nothing. */
export function describeAnswered(answered: PrecomputeSummary['answered'] = {}, before: PrecomputeSummary['answered'] = {}): string {
  const parts = Object.entries(answered)
    .map(([status, count]) => [status, count - (before[Number(status)] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} answered ${status}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
