import { describe, expect, it } from '@jest/globals';
import { describeValues, enumValues, intersect, toRawValue, toRawValues } from './domain-values';
import { allows, describeRule } from './value-rules';

enum Numeric {
  One = 1,
  Two = 2,
}
enum Mixed {
  A = 'a',
  B = 2,
}

describe('domain values', () => {
  it('a raw value is the string a URL carries; null and undefined are absent', () => {
    expect([toRawValue(1), toRawValue(false), toRawValue('x'), toRawValue(null), toRawValue(undefined)]).toEqual(['1', 'false', 'x', undefined, undefined]);
  });

  it('an enum gives its values, never its reverse mappings', () => {
    expect(enumValues(Numeric)).toEqual([1, 2]);
    expect(enumValues(Mixed)).toEqual(['a', 2]);
  });

  it('raw values are deduplicated in their first order', () => {
    expect(toRawValues([2, '2', null, 1, undefined, 2])).toEqual(['2', undefined, '1']);
  });

  it('intersects lists in the order of the first; no list means no values', () => {
    expect(intersect([['a', 'b', 'c', undefined], ['c', 'a', undefined], ['a', 'c', 'x', undefined]])).toEqual(['a', 'c', undefined]);
    expect(intersect([['a', 'b']])).toEqual(['a', 'b']);
    expect(intersect([])).toEqual([]);
  });

  it('reads in a message with absent spelled out', () => {
    expect(describeValues(['a', undefined, '1'])).toBe('"a", (absent), "1"');
  });
});

describe('value rules', () => {
  it('allows what a rule lists, what its check accepts, anything without a rule', () => {
    expect(allows(undefined, 'x')).toBe(true);
    expect(allows({ origin: 'o', values: ['a', undefined] }, undefined)).toBe(true);
    expect(allows({ origin: 'o', values: ['a'] }, 'b')).toBe(false);
    expect(allows({ origin: 'o', accepts: (raw) => raw === '1' }, '1')).toBe(true);
    expect(allows({ origin: 'o', accepts: (raw) => raw === '1' }, '2')).toBe(false);
    expect(allows({ origin: 'o', problem: 'knows nothing' }, 'z')).toBe(true);
  });

  it('describes a rule by its values (twelve at most, then how many) or by what it checks', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => String(i));
    expect(describeRule({ origin: '@Q.x', values: ['a', undefined] })).toBe('@Q.x (allows "a", (absent))');
    expect(describeRule({ origin: '@Q.x', values: twelve })).toBe(`@Q.x (allows ${twelve.map((v) => `"${v}"`).join(', ')})`);
    expect(describeRule({ origin: '@Q.x', values: [...twelve, '12'] })).toBe(`@Q.x (allows ${twelve.map((v) => `"${v}"`).join(', ')}, … 13 in all)`);
    expect(describeRule({ origin: 'ParseIntPipe', allowed: 'integers' })).toBe('ParseIntPipe (allows integers)');
    expect(describeRule({ origin: 'x' })).toBe('x (allows some values only)');
  });
});
