/**
 * The values one parameter may take: an array of values or an enum object.
 * `undefined` in an array stands for "parameter absent".
 */
export type ParamDomain =
  | ReadonlyArray<string | number | boolean | undefined>
  | Record<string, string | number>;

/** Options of `@Precomputed()`. */
export interface PrecomputedOptions {
  /**
   * Explicit domains per parameter name (query key or route param name). They
   * override what the module infers, and cover parameters it cannot infer.
   */
  params?: Record<string, ParamDomain>;
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
