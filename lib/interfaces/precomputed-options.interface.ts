import type { ModuleRef } from '@nestjs/core';

/** One value of a parameter; `undefined` stands for "parameter absent". */
export type DomainValue = string | number | boolean | undefined;

/**
 * A domain that lives in data: called with the app's `ModuleRef` (so it can use
 * any provider) at startup, by the CLI, and again on every refresh of the
 * handler. It returns, or resolves with, the values.
 *
 * @example `(ref) => ref.get(StoresService, { strict: false }).ids()`
 */
export type DomainFunction = (moduleRef: ModuleRef) => readonly DomainValue[] | Promise<readonly DomainValue[]>;

/**
 * The values one parameter may take: an array of values, an enum object, or a
 * function returning the values. `undefined` in an array stands for "parameter absent".
 */
export type ParamDomain = ReadonlyArray<DomainValue> | Record<string, string | number> | DomainFunction;

/** One combination of parameter values by name (query keys and route params), as Next.js's `generateStaticParams` returns them; values are strings, numbers, booleans, or undefined / null for absent. */
export type ParamCombination = Readonly<Record<string, unknown>>;

/** The exact list of combinations of a handler, read from data (see `PrecomputedOptions.combinations`). */
export type CombinationsFunction = (
  moduleRef: ModuleRef,
) => ReadonlyArray<ParamCombination> | Promise<ReadonlyArray<ParamCombination>>;

/** Options of `@Precomputed()`. */
export interface PrecomputedOptions {
  /**
   * Explicit domains per parameter name (query key or route param name). They
   * override what the module infers, and cover parameters it cannot infer. A
   * value the module can check (an enum, `@IsIn`, an integer range, `ParseIntPipe`)
   * must pass that check.
   */
  params?: Record<string, ParamDomain>;
  /**
   * The exact list of combinations, when only some pairs exist (the stores of
   * each subregion): each object names its parameters' values; a parameter it
   * leaves out is absent. Checked against the handler's parameters like
   * `params`; not used together with `params`. Evaluated at startup, by the
   * CLI, and on every refresh.
   */
  combinations?: CombinationsFunction;
  /**
   * The largest `@IsInt() @Min(a) @Max(b)` range inferred as a domain
   * (default 1,000 values); a larger one must be given with `params`.
   */
  maxIntegerRange?: number;
  /** How many combinations of this handler are computed at the same time. */
  concurrency?: number;
  /** Attempts after the first failure of one combination. */
  retries?: number;
  /** Gives up on one attempt after this many milliseconds. */
  timeoutMs?: number;
  /**
   * A label for the code that produces the values. Changing it marks the
   * handler's entries as outdated: they are computed again (in the background
   * unless `versionChangeAtStartup: 'blocking'`), hand edits excepted.
   */
  version?: string;
  /** Seconds after which an entry is stale: still served, recomputed in the background. */
  ttlSeconds?: number;
  /**
   * Recompute every combination of this handler at these times (a cron
   * expression, as `@Cron()` of `@nestjs/schedule`: `'0 2 * * *'` is 02:00 every
   * day), reading its data domains again first. Old values are served until the
   * new ones are stored; hand edits are kept; processes sharing the store
   * compute each combination once. Overrides the module's `refreshCron`.
   */
  refreshCron?: string;
  /** IANA time zone of `refreshCron` (e.g. `'Europe/Paris'`); default the module's, else the process's. */
  refreshTimeZone?: string;
  /**
   * `Cache-Control` of cached answers: a header value, or `true` for one
   * derived from the TTL (`max-age` = seconds left, `stale-while-revalidate` = TTL).
   */
  cacheControl?: string | true;
  /**
   * Query keys this handler never reads, which must not defeat the cache
   * (added to the module's `ignoreQueryParams`): names, or patterns such as `utm_*`.
   */
  ignoreQueryParams?: string[];
}
