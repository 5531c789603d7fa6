import { CronSchedule } from '../freshness/cron-schedule';
import { ignorePatternProblem } from '../keys/query-ignore';
import { messages } from '../precompute.messages';
import type { PrecomputedHandler } from './precomputed-handler';

/** Problems of `@Precomputed()` options that make a handler impossible to precompute, or undefined. */
export function precomputedOptionsProblem(name: string, options: PrecomputedHandler['options']): string | undefined {
  for (const field of ['concurrency', 'retries', 'timeoutMs'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    const minimum = field === 'retries' ? 0 : 1;
    if (!Number.isInteger(value) || value < minimum) {
      return messages.invalidPrecomputedOption(name, field, `must be a whole number of at least ${minimum}, got ${value}`);
    }
  }
  if (options.ttlSeconds !== undefined && !(typeof options.ttlSeconds === 'number' && options.ttlSeconds > 0)) {
    return messages.invalidPrecomputedOption(name, 'ttlSeconds', `must be a number of seconds above 0, got ${String(options.ttlSeconds)}`);
  }
  const cron = refreshCronProblem(name, options);
  if (cron) return cron;
  const patterns: unknown = options.ignoreQueryParams;
  if (patterns === undefined) return undefined;
  if (!Array.isArray(patterns)) return messages.invalidIgnorePattern(`${name}: @Precomputed()`, 'must be an array');
  for (const pattern of patterns) {
    const problem = ignorePatternProblem(pattern);
    if (problem) return messages.invalidIgnorePattern(`${name}: @Precomputed()`, problem);
  }
  return undefined;
}

/** An invalid `refreshCron` / `refreshTimeZone` of a handler, or undefined. */
function refreshCronProblem(name: string, options: PrecomputedHandler['options']): string | undefined {
  if (options.refreshCron === undefined && options.refreshTimeZone === undefined) return undefined;
  try {
    // A time zone alone applies to the module's refreshCron, checked with a placeholder expression here
    new CronSchedule(options.refreshCron ?? '0 0 * * *', options.refreshTimeZone, `${name}: @Precomputed({ refreshCron })`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The handler's domain is read from data (a domain function or `combinations`), so a refresh evaluates it again. */
export function hasDomainFunctions(options: PrecomputedHandler['options']): boolean {
  return options.combinations !== undefined || Object.values(options.params ?? {}).some((domain) => typeof domain === 'function');
}

/** Two routes (method, path, version, host) of precomputed handlers that would share keys. */
export function collisions(handlers: readonly PrecomputedHandler[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const handler of handlers) {
    const route = handler.keys.keyOf(handler.keys.params.map(() => undefined)).split('?')[0];
    const first = seen.get(route);
    if (first) problems.push(messages.keyCollision(route, first, handler.name));
    else seen.set(route, handler.name);
  }
  return problems;
}
