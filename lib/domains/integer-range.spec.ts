import { describe, expect, it } from '@jest/globals';
import { integerRange, isIntegerString } from './integer-range';

describe('integerRange', () => {
  it('lists min..max as raw values, rounding fractional bounds inwards', () => {
    expect(integerRange(1, 12, 1000)).toEqual({ values: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] });
    expect(integerRange(-1.5, 1.5, 1000)).toEqual({ values: ['-1', '0', '1'] });
    expect(integerRange(5, 4, 1000)).toEqual({ values: [] });
  });

  it('accepts exactly the limit and refuses one more, saying how many and how to fix it', () => {
    expect(integerRange(1, 1000, 1000)).toHaveProperty('values');
    const refused = integerRange(0, 1000, 1000);
    expect(refused).toEqual({ problem: expect.stringContaining('has @IsInt() @Min(0) @Max(1000): 1,001 values, more than maxIntegerRange (1,000)') });
    expect((refused as { problem: string }).problem).toContain('@Precomputed({ params })');
  });

  it('refuses bounds that are not finite', () => {
    expect(integerRange(0, Number.POSITIVE_INFINITY, 1000)).toHaveProperty('problem');
    expect(integerRange(Number.NaN, 3, 1000)).toHaveProperty('problem');
  });
});

describe('isIntegerString', () => {
  it('accepts what ParseIntPipe accepts', () => {
    expect(['0', '42', '-7', '2024'].every(isIntegerString)).toBe(true);
    expect(['', 'x', '1.5', '1e3', ' 1', '+1', '0x10'].some(isIntegerString)).toBe(false);
  });
});

describe('integerRange, messages', () => {
  it('says which bounds are not finite, and how to fix a range too large', () => {
    expect(integerRange(0, Number.POSITIVE_INFINITY, 1000)).toEqual({ problem: 'has @Min(0) and @Max(Infinity), which do not bound a finite range' });
    expect(integerRange(1, 20, 10)).toEqual({
      problem:
        'has @IsInt() @Min(1) @Max(20): 20 values, more than maxIntegerRange (10); list the values with @Precomputed({ params }), ' +
        'or raise @Precomputed({ maxIntegerRange }) if every one of them is wanted',
    });
  });
});
