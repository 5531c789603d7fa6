import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';

/**
 * The environment layer: variables that override the options given in code,
 * for deployments (serve a file built in CI with `startup: 'off'`, move the
 * file to a volume) without a code change. Documented in the README
 * ("Environment overrides"). An empty variable overrides nothing.
 */
export const ENVIRONMENT_VARIABLES = {
  cacheFile: 'NESTJS_PRECOMPUTE_CACHE_FILE',
  startup: 'NESTJS_PRECOMPUTE_STARTUP',
} as const satisfies Partial<Record<keyof PrecomputeModuleOptions, string>>;

/** The options the environment overrides; checked with the others by `resolveOptions`. */
export function environmentOverrides(environment: Readonly<Record<string, string | undefined>>): Partial<PrecomputeModuleOptions> {
  const overrides: Record<string, string> = {};
  for (const [option, variable] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = environment[variable];
    if (value) overrides[option] = value;
  }
  return overrides as Partial<PrecomputeModuleOptions>;
}
