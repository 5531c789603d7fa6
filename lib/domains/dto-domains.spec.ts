import { describe, expect, it } from '@jest/globals';
import * as classValidator from 'class-validator';
import { IsBoolean, IsEnum, IsIn, IsOptional, IsString } from 'class-validator';
import { dtoProperties } from './dto-domains';

enum Size {
  S = 'S',
  M = 'M',
}
enum Level {
  Low = 1,
  High = 2,
}
class Base {
  @IsEnum(Size)
  size!: Size;
}
class Query extends Base {
  @IsEnum(Level)
  level!: Level;
  @IsIn(['a', 'b', 'c'])
  @IsIn(['b', 'c', 'd'])
  letter!: string;
  @IsOptional()
  @IsBoolean()
  flag?: boolean;
  @IsString()
  text!: string;
  @IsEnum(Size, { each: true })
  sizes!: Size[];
}

describe('dtoProperties', () => {
  const properties = Object.fromEntries(dtoProperties(Query, classValidator).map((p) => [p.name, p]));

  it('reads string and numeric enums (also inherited), @IsIn (intersected) and optional booleans', () => {
    expect(properties.size.values).toEqual(['S', 'M']);
    expect(properties.level.values).toEqual(['1', '2']);
    expect(properties.letter.values).toEqual(['b', 'c']);
    expect(properties.flag.values).toEqual(['true', 'false', undefined]);
  });

  it('explains properties it cannot enumerate', () => {
    expect(properties.text.problem).toBe('(Query.text) has no discrete validator (it has @IsString)');
    expect(properties.sizes.problem).toContain('validates each item of an array');
  });
});

class Calendar {
  @classValidator.IsInt()
  @classValidator.Min(1)
  @classValidator.Max(12)
  month!: number;

  @IsOptional()
  @classValidator.IsInt()
  @classValidator.Min(2020)
  @classValidator.Max(2030)
  @classValidator.Max(2022)
  year?: number;

  @classValidator.IsInt()
  @classValidator.Min(0)
  @classValidator.Max(5000)
  page!: number;

  @classValidator.IsInt()
  @classValidator.Min(1)
  size!: number;

  @IsIn([10, 20, 50, 5000])
  @classValidator.IsInt()
  @classValidator.Min(0)
  @classValidator.Max(5000)
  limit!: number;
}

describe('dtoProperties: integer ranges', () => {
  const properties = Object.fromEntries(dtoProperties(Calendar, classValidator, 1000).map((p) => [p.name, p]));

  it('infers @IsInt @Min @Max as a range (tightest bounds; optional adds absent)', () => {
    expect(properties.month.values).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(properties.year.values).toEqual(['2020', '2021', '2022', undefined]);
  });

  it('refuses a range over the limit, and an unbounded one, but can still check explicit values against it', () => {
    expect(properties.page.problem).toContain('5,001 values, more than maxIntegerRange (1,000)');
    expect(properties.size.problem).toContain('@IsInt() without both @Min() and @Max()');
    expect(['0', '5000'].every((raw) => properties.page.accepts?.(raw))).toBe(true);
    expect(['-1', '5001', '1.5', 'x', undefined].some((raw) => properties.page.accepts?.(raw))).toBe(false);
    expect(properties.page.allowed).toBe('integers >= 0 and <= 5000');
    expect(properties.size.accepts?.('123456')).toBe(true);
    expect(properties.size.allowed).toBe('integers >= 1');
  });

  it('an @IsIn list is a domain even when the range around it is too large', () => {
    expect(properties.limit.values).toEqual(['10', '20', '50', '5000']);
  });

  it('the limit is a parameter', () => {
    const small = Object.fromEntries(dtoProperties(Calendar, classValidator, 12).map((p) => [p.name, p]));
    expect(small.month.values).toHaveLength(12);
    expect(dtoProperties(Calendar, classValidator, 11).find((p) => p.name === 'month')?.problem).toContain('more than maxIntegerRange (11)');
  });
});
