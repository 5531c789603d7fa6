import { describe, expect, it } from '@jest/globals';
import type { ParameterSpec } from '../domains/domain-values';
import { assertWithinLimit, combinations, countCombinations } from './combinations';

const spec = (name: string, values: Array<string | undefined>): ParameterSpec => ({ name, source: 'query', values, origin: '' });

describe('combinations', () => {
  it('expands the cartesian product, last parameter fastest', () => {
    const params = [spec('a', ['1', '2']), spec('b', ['x', undefined])];
    expect(countCombinations(params)).toBe(4);
    expect([...combinations(params)]).toEqual([
      ['1', 'x'],
      ['1', undefined],
      ['2', 'x'],
      ['2', undefined],
    ]);
  });

  it('has exactly one combination without parameters', () => {
    expect([...combinations([])]).toEqual([[]]);
  });

  it('refuses more than the limit, naming the largest domains', () => {
    const params = [spec('small', ['1']), spec('big', Array.from({ length: 50 }, (_, i) => String(i))), spec('mid', ['a', 'b', 'c'])];
    expect(() => assertWithinLimit('C.m', params, 150)).not.toThrow();
    expect(() => assertWithinLimit('C.m', params, 149)).toThrow(
      /C\.m has 150 combinations, more than maxCombinations \(149\)\. Largest domains: big \(50: .*\), mid \(3: "a", "b", "c"\), small/,
    );
  });
});
