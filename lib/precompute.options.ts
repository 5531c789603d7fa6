import type { LoggerService } from '@nestjs/common';
import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';
import { DEFAULTS } from './precompute.constants';
import { messages } from './precompute.messages';
import { validateStatusPage } from './status-page/status-page-options';

/** Injection token of the options with every default filled in. */
export const PRECOMPUTE_OPTIONS = Symbol('PrecomputeOptions');

type Defaulted = keyof typeof DEFAULTS;
export type ResolvedOptions = Omit<PrecomputeModuleOptions, Defaulted> &
  Required<Pick<PrecomputeModuleOptions, Defaulted>> & { readonly logger?: LoggerService };

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
  'statusPage',
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
  ['earlyHits', [true, false]],
];

/**
 * Environment variables that override the options, for deployments and the
 * `nestjs-precompute` CLI: NESTJS_PRECOMPUTE_CACHE_FILE, NESTJS_PRECOMPUTE_STARTUP.
 */
export const ENV_OVERRIDES = {
  cacheFile: 'NESTJS_PRECOMPUTE_CACHE_FILE',
  startup: 'NESTJS_PRECOMPUTE_STARTUP',
} as const;

function fromEnvironment(): Partial<PrecomputeModuleOptions> {
  const overrides: Partial<Record<keyof typeof ENV_OVERRIDES, string>> = {};
  for (const [option, variable] of Object.entries(ENV_OVERRIDES) as Array<[keyof typeof ENV_OVERRIDES, string]>) {
    const value = process.env[variable];
    if (value) overrides[option] = value;
  }
  return overrides as Partial<PrecomputeModuleOptions>;
}

/** Checks the options a user gave and fills in the defaults; throws a message naming the bad option. */
export function resolveOptions(given: PrecomputeModuleOptions): ResolvedOptions {
  const options = { ...given, ...fromEnvironment() };
  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name as keyof PrecomputeModuleOptions)) throw new Error(messages.unknownOption(name, KNOWN));
  }
  for (const [name, minimum] of WHOLE_NUMBERS) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < minimum)) {
      throw new Error(messages.invalidOption(name, `must be a whole number of at least ${minimum}, got ${String(value)}`));
    }
  }
  for (const [name, choices] of CHOICES) {
    const value = options[name];
    if (value !== undefined && !choices.includes(value)) {
      throw new Error(messages.invalidOption(name, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(value)}`));
    }
  }
  if (options.cacheFile !== undefined && (typeof options.cacheFile !== 'string' || options.cacheFile.trim() === '')) {
    throw new Error(messages.invalidOption('cacheFile', 'must be a non-empty file path'));
  }
  if (options.ttlSeconds !== undefined && !(typeof options.ttlSeconds === 'number' && options.ttlSeconds > 0)) {
    throw new Error(messages.invalidOption('ttlSeconds', `must be a number of seconds above 0, got ${String(options.ttlSeconds)}`));
  }
  if (options.cacheControl !== undefined && options.cacheControl !== true && typeof options.cacheControl !== 'string') {
    throw new Error(messages.invalidOption('cacheControl', 'must be a header value or true'));
  }
  validateStatusPage(options.statusPage);
  if (options.cacheFile === undefined && options.store === undefined) throw new Error(messages.noCacheFile());
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...DEFAULTS, ...defined } as ResolvedOptions;
}
