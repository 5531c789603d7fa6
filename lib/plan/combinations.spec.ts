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

describe('combinations, more shapes', () => {
  it('a parameter with no values makes no combination', () => {
    const params = [spec('a', ['1', '2']), spec('none', [])];
    expect(countCombinations(params)).toBe(0);
    expect([...combinations(params)]).toEqual([]);
  });

  it('expands three domains of different sizes, the first slowest', () => {
    const params = [spec('a', ['1', '2']), spec('b', ['x', 'y', 'z']), spec('c', ['p'])];
    const all = [...combinations({ params })];
    expect(all).toHaveLength(6);
    expect(all[0]).toEqual(['1', 'x', 'p']);
    expect(all[2]).toEqual(['1', 'z', 'p']);
    expect(all[3]).toEqual(['2', 'x', 'p']);
    expect(new Set(all.map((values) => values.join()))).toHaveProperty('size', 6);
  });

  it('yields copies of a planned list, so a caller cannot change the plan', () => {
    const list = [['a'], ['b']];
    const source = { params: [spec('x', ['a', 'b'])], planned: () => list };
    const [first] = combinations(source);
    first[0] = 'changed';
    expect(list[0]).toEqual(['a']);
    expect([...combinations(source)]).toEqual([['a'], ['b']]);
  });

  it('names at most three domains, their values cut to 60 characters', () => {
    const long = spec('long', Array.from({ length: 30 }, (_, i) => `value${i}`));
    const params = [spec('one', ['1']), long, spec('two', ['a', 'b']), spec('three', ['a', 'b', 'c'])];
    let message = '';
    try {
      assertWithinLimit('C.m', params, 10);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`long (30: ${'"value0", "value1", "value2", "value3", "value4", "value5", "va'.slice(0, 57)}...)`);
    expect(message).toContain('three (3: "a", "b", "c"), two (2: "a", "b")');
    expect(message).not.toContain('one (');
    expect(() => assertWithinLimit('C.m', [spec('a', Array.from({ length: 60 }, (_, i) => String(i)))], 60)).not.toThrow();
  });
});
