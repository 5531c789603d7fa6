/**
 * `ignoreQueryParams`: query keys that neither change a cache key nor make a
 * request "not a combination" (tracking parameters such as `utm_source`, or a
 * cache buster `_`). A pattern is a key name, where `*` stands for any run of
 * characters (`utm_*`). Everything else is matched literally.
 */
export type IgnoredQueryParam = (name: string) => boolean;

/** A key is never ignored when no pattern is given: the default stays strict. */
export const IGNORE_NOTHING: IgnoredQueryParam = () => false;

export function compileIgnoredQueryParams(patterns: readonly string[] | undefined): IgnoredQueryParam {
  // Stryker disable next-line ConditionalExpression: a shortcut; an empty list compiles to a matcher that matches nothing
  if (!patterns || patterns.length === 0) return IGNORE_NOTHING;
  // Stryker disable next-line MethodExpression: a shortcut; the regex of a pattern with * also matches the pattern's own text
  const exact = new Set(patterns.filter((pattern) => !pattern.includes('*')));
  // Stryker disable next-line MethodExpression: a shortcut; a pattern without * compiles to a regex that matches only its own text
  const wildcards = patterns
    .filter((pattern) => pattern.includes('*'))
    .map((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's'));
  return (name) => exact.has(name) || wildcards.some((wildcard) => wildcard.test(name));
}

/** Why a pattern cannot be used, or undefined when it can. */
export function ignorePatternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return `must be a non-empty string, got ${JSON.stringify(pattern)}`;
  if (pattern.replaceAll('*', '').length === 0) return `"${pattern}" would ignore every query key, which would serve any URL from the cache`;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
