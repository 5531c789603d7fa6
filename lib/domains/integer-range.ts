/** How many values an inferred integer range may hold unless `@Precomputed({ maxIntegerRange })` says otherwise. */
export const DEFAULT_MAX_INTEGER_RANGE = 1000;

/**
 * The integers from `min` to `max` as raw values (`@IsInt() @Min(1) @Max(12)`
 * gives "1".."12"), or why they cannot be a domain: a bound that is not a
 * finite number, or more values than `limit`.
 */
export function integerRange(min: number, max: number, limit: number): { values: string[] } | { problem: string } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    return { problem: `has @Min(${min}) and @Max(${max}), which do not bound a finite range` };
  }
  const first = Math.ceil(min);
  const last = Math.floor(max);
  const size = Math.max(0, last - first + 1);
  if (size > limit) {
    return {
      problem:
        `has @IsInt() @Min(${min}) @Max(${max}): ${size.toLocaleString('en-US')} values, more than maxIntegerRange ` +
        `(${limit.toLocaleString('en-US')}); list the values with @Precomputed({ params }), or raise ` +
        '@Precomputed({ maxIntegerRange }) if every one of them is wanted',
    };
  }
  return { values: Array.from({ length: size }, (_, i) => String(first + i)) };
}

/** Whether a raw value is what `ParseIntPipe` accepts: an integer in decimal digits. */
export function isIntegerString(raw: string): boolean {
  return /^-?\d+$/.test(raw) && Number.isFinite(Number(raw));
}
