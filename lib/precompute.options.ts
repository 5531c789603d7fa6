import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';
import { CronSchedule } from './freshness/cron-schedule';
import { DEFAULTS } from './precompute.constants';
import { ignorePatternProblem } from './keys/query-ignore';
import { messages } from './precompute.messages';
import { validateStatusPage } from './status-page/status-page-options';
import { resolveCompress } from './serving/compress-settings';

/** Injection token of the options with every default filled in. */
export const PRECOMPUTE_OPTIONS = Symbol('PrecomputeOptions');

type Defaulted = keyof typeof DEFAULTS;
export type ResolvedOptions = Omit<PrecomputeModuleOptions, Defaulted> &
  Required<Pick<PrecomputeModuleOptions, Defaulted>>;

const KNOWN: ReadonlyArray<keyof PrecomputeModuleOptions> = [
  'cacheFile',
  'store',
  'concurrency',
  'maxCombinations',
  'startup',
  'retries',
  'retryDelayMs',
  'timeoutMs',
  'failOnError',
  'progress',
  'progressIntervalMs',
  'onInvalidFile',
  'watchFile',
  'lockStaleMs',
  'persistLiveResults',
  'ttlSeconds',
  'cacheControl',
  'versionChangeAtStartup',
  'logLevel',
  'earlyHits',
  'ignoreQueryParams',
  'cacheClientErrors',
  'refreshCron',
  'refreshTimeZone',
  'statusPage',
  'compress',
];

const WHOLE_NUMBERS: ReadonlyArray<[keyof PrecomputeModuleOptions, number]> = [
  ['concurrency', 1],
  ['maxCombinations', 1],
  ['retries', 0],
  ['retryDelayMs', 0],
  ['timeoutMs', 1],
  ['progressIntervalMs', 0],
  ['lockStaleMs', 2000],
];

const CHOICES: ReadonlyArray<[keyof PrecomputeModuleOptions, readonly unknown[]]> = [
  ['startup', ['blocking', 'background', 'off']],
  ['onInvalidFile', ['fail', 'move-aside']],
  ['failOnError', [true, false]],
  ['progress', [true, false]],
  ['watchFile', [true, false]],
  ['persistLiveResults', [true, false]],
  ['versionChangeAtStartup', ['background', 'blocking']],
  ['logLevel', ['log', 'warn', 'error', 'silent']],
  ['earlyHits', ['auto', true, false]],
  ['cacheClientErrors', [true, false]],
];

/**
 * Checks the options and fills in the defaults; throws a message naming the bad
 * option. Layers, last wins: the defaults, the options given in code, then
 * `environment` (see precompute.environment.ts), so a deployment can override code.
 */
/** What `setOptionOverrides` may override. */
export type OptionOverrides = Partial<Pick<PrecomputeModuleOptions, 'cacheFile' | 'startup' | 'versionChangeAtStartup'>>;

// On globalThis: the CLI and an app that loads another copy of this package share it
const OVERRIDES = Symbol.for('nestjs-precompute.option-overrides');

/**
 * Overrides applied over the options of every PrecomputeModule of this process,
 * after the environment variables. The `nestjs-precompute` CLI sets the cache
 * file and the startup mode here before it runs the app, instead of writing
 * into process.env. Not meant for apps: configure forRoot() instead.
 */
export function setOptionOverrides(overrides: OptionOverrides | undefined): void {
  (globalThis as Record<symbol, unknown>)[OVERRIDES] = overrides;
}

function fromOverrides(): OptionOverrides {
  return ((globalThis as Record<symbol, unknown>)[OVERRIDES] as OptionOverrides | undefined) ?? {};
}

export function resolveOptions(given: PrecomputeModuleOptions, environment: Partial<PrecomputeModuleOptions> = {}): ResolvedOptions {
  const options = { ...given, ...environment, ...fromOverrides() };
  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name as keyof PrecomputeModuleOptions)) throw new Error(messages.unknownOption(name, KNOWN));
  }
  for (const [name, minimum] of WHOLE_NUMBERS) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < minimum)) {
      throw new Error(messages.invalidOption(name, `must be a whole number of at least ${minimum}, got ${describeValue(value)}`));
    }
  }
  for (const [name, choices] of CHOICES) {
    const value = options[name];
    if (value !== undefined && !choices.includes(value)) {
      throw new Error(messages.invalidOption(name, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${describeValue(value)}`));
    }
  }
  if (options.cacheFile !== undefined && (typeof options.cacheFile !== 'string' || options.cacheFile.trim() === '')) {
    throw new Error(messages.invalidOption('cacheFile', `must be a non-empty file path, got ${describeValue(options.cacheFile)}`));
  }
  if (options.cacheFile !== undefined) checkCacheFileParent(options.cacheFile);
  if (options.ttlSeconds !== undefined && !(typeof options.ttlSeconds === 'number' && options.ttlSeconds > 0)) {
    throw new Error(messages.invalidOption('ttlSeconds', `must be a number of seconds above 0, got ${describeValue(options.ttlSeconds)}`));
  }
  if (options.cacheControl !== undefined && options.cacheControl !== true && typeof options.cacheControl !== 'string') {
    throw new Error(messages.invalidOption('cacheControl', `must be a header value or true, got ${describeValue(options.cacheControl)}`));
  }
  if (options.ignoreQueryParams !== undefined) {
    const patterns: unknown = options.ignoreQueryParams;
    if (!Array.isArray(patterns)) throw new Error(messages.invalidIgnorePattern('PrecomputeModule', 'must be an array'));
    for (const pattern of patterns) {
      const problem = ignorePatternProblem(pattern);
      if (problem) throw new Error(messages.invalidIgnorePattern('PrecomputeModule', problem));
    }
  }
  if (options.refreshCron !== undefined || options.refreshTimeZone !== undefined) {
    // Checked here so a bad expression stops the app at startup, naming the option
    new CronSchedule(options.refreshCron ?? '0 0 * * *', options.refreshTimeZone, 'PrecomputeModule: option "refreshCron"');
  }
  validateStatusPage(options.statusPage);
  try {
    resolveCompress(options.compress);
  } catch (error) {
    throw new Error(messages.invalidOption('compress', (error as Error).message));
  }
  if (options.cacheFile === undefined && options.store === undefined) throw new Error(messages.noCacheFile());
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...DEFAULTS, ...defined } as ResolvedOptions;
}

/** A value as a message shows it: what it is and its type, so `'10'` and `10` do not read alike. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `${JSON.stringify(value)} (an array)`;
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  if (typeof value === 'function') return `${value.name || 'a function'} (a function)`;
  if (typeof value === 'object') return `${value.constructor?.name ?? 'an object'} (an object)`;
  const type = typeof value;
  return `${String(value)} (${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type})`;
}

/**
 * A cacheFile under a path whose ancestor is a file can never be written: the
 * store would retry forever. The nearest existing ancestor decides.
 */
function checkCacheFileParent(cacheFile: string): void {
  for (let parent = dirname(resolve(cacheFile)); ; parent = dirname(parent)) {
    const kind = pathKind(parent);
    if (kind === 'file') throw new Error(messages.cacheFileParentIsFile(cacheFile, parent));
    if (kind !== 'missing' || dirname(parent) === parent) return;
  }
}

/** Missing covers a path under a file (ENOTDIR); other errors (permissions) are the store's to report. */
function pathKind(path: string): 'directory' | 'file' | 'missing' | 'unknown' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unknown';
  }
}
