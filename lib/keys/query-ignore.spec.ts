import { describe, expect, it } from '@jest/globals';
import { compileIgnoredQueryParams, ignorePatternProblem } from './query-ignore';

describe('ignoreQueryParams patterns', () => {
  it('match names exactly, and * as any text', () => {
    const ignored = compileIgnoredQueryParams(['utm_*', '_', 'a.b']);
    expect(['utm_source', 'utm_', '_', 'a.b'].map(ignored)).toEqual([true, true, true, true]);
    expect(['utm', 'xutm_source', '__', 'aXb', 'region'].map(ignored)).toEqual([false, false, false, false, false]);
  });

  it('ignore nothing by default', () => {
    expect(compileIgnoredQueryParams(undefined)('utm_source')).toBe(false);
    expect(compileIgnoredQueryParams([])('_')).toBe(false);
  });

  it('refuse patterns that are empty or would ignore every key', () => {
    expect(ignorePatternProblem('')).toContain('non-empty');
    expect(ignorePatternProblem('**')).toContain('every query key');
    expect(ignorePatternProblem(3)).toContain('non-empty string');
    expect(ignorePatternProblem('utm_*')).toBeUndefined();
  });
});

describe('ignoreQueryParams patterns, details', () => {
  it('match the whole name, special characters literally, newlines included', () => {
    const ignored = compileIgnoredQueryParams(['utm_*', '(x)+', 'a*z']);
    expect(['utm_a\nb', '(x)+', 'az', 'a\nz'].map(ignored)).toEqual([true, true, true, true]);
    expect(['x', 'xx', '(x)', 'az!'].map(ignored)).toEqual([false, false, false, false]);
  });

  it('say what is wrong with a pattern', () => {
    expect(ignorePatternProblem(undefined)).toBe('must be a non-empty string, got undefined');
    expect(ignorePatternProblem('')).toBe('must be a non-empty string, got ""');
    expect(ignorePatternProblem('*')).toBe('"*" would ignore every query key, which would serve any URL from the cache');
    expect(ignorePatternProblem('*a')).toBeUndefined();
  });
});

describe('ignoreQueryParams patterns, special characters next to a wildcard', () => {
  it('match a dot, brackets and plus literally in a pattern with *', () => {
    const ignored = compileIgnoredQueryParams(['utm.*', '(ref)+*']);
    expect(['utm.source', 'utm.', '(ref)+x'].map(ignored)).toEqual([true, true, true]);
    expect(['utmXsource', 'utm', 'ref', 'refref', '(ref)x'].map(ignored)).toEqual([false, false, false, false, false]);
  });
});
