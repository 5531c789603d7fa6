import type { CanActivate, Type } from '@nestjs/common';
import { messages } from '../precompute.messages';

/** `statusPage` option of `PrecomputeModule.forRoot()`: an HTML page (and JSON) of what the module holds and does. */
export interface StatusPageOptions {
  /** Where the page is served, e.g. `/precompute`. Used as given: the global prefix does not apply. */
  path: string;
  /**
   * Who may see the page: a guard class (resolved from the module's injector)
   * or instance. App-wide guards do not run for it; this one does. Required
   * unless NODE_ENV is `development`.
   */
  guard?: CanActivate | Type<CanActivate>;
  /** A refresh button per handler: a POST to `<path>/refresh`, behind the same guard. Default false. */
  refreshButton?: boolean;
  /** The page reloads itself every this many seconds; 0: never. Default 5. */
  autoRefreshSeconds?: number;
}

const KNOWN = { path: true, guard: true, refreshButton: true, autoRefreshSeconds: true } satisfies Record<keyof StatusPageOptions, true>;

/** Throws a message naming the problem; with no guard outside development, refuses to start. */
export function validateStatusPage(value: unknown, env: { readonly NODE_ENV?: string } = process.env): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null) throw new Error(messages.statusPageOption('must be an object'));
  const options = value as Partial<StatusPageOptions>;
  for (const name of Object.keys(options)) {
    if (!(name in KNOWN)) throw new Error(messages.statusPageOption(`has an unknown field "${name}" (known: ${Object.keys(KNOWN).join(', ')})`));
  }
  if (typeof options.path !== 'string' || !/^\/[^?#\s]*$/.test(options.path) || options.path.length < 2) {
    throw new Error(messages.statusPageOption(`needs a path starting with "/", e.g. '/precompute' (got ${JSON.stringify(options.path)})`));
  }
  const guard = options.guard as unknown;
  if (guard !== undefined && typeof guard !== 'function' && typeof (guard as Partial<CanActivate> | null)?.canActivate !== 'function') {
    throw new Error(messages.statusPageOption('has a guard that is neither a guard class nor an object with canActivate()'));
  }
  if (options.refreshButton !== undefined && typeof options.refreshButton !== 'boolean') {
    throw new Error(messages.statusPageOption('has a refreshButton that is not true or false'));
  }
  const seconds = options.autoRefreshSeconds;
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 0)) {
    throw new Error(messages.statusPageOption(`has an autoRefreshSeconds that is not a whole number of seconds (got ${String(seconds)})`));
  }
  if (guard === undefined && env.NODE_ENV !== 'development') throw new Error(messages.statusPageWithoutGuard(options.path, env.NODE_ENV));
}
