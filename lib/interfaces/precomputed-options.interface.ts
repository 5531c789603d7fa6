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
   * handler's entries as outdated, and they are computed again.
   */
  version?: string;
}
