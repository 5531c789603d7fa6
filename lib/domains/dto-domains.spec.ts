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

/** Read inside each test (not when the describe block is collected), so each test covers what it reads. */
const propertiesOf = (dto: Function, maxIntegerRange?: number) => Object.fromEntries(dtoProperties(dto, classValidator, maxIntegerRange).map((p) => [p.name, p]));

describe('dtoProperties', () => {

  it('reads string and numeric enums (also inherited), @IsIn (intersected) and optional booleans', () => {
    const properties = propertiesOf(Query);
    expect(properties.size.values).toEqual(['S', 'M']);
    expect(properties.level.values).toEqual(['1', '2']);
    expect(properties.letter.values).toEqual(['b', 'c']);
    expect(properties.flag.values).toEqual(['true', 'false', undefined]);
  });

  it('explains properties it cannot enumerate', () => {
    const properties = propertiesOf(Query);
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

  it('infers @IsInt @Min @Max as a range (tightest bounds; optional adds absent)', () => {
    const properties = propertiesOf(Calendar, 1000);
    expect(properties.month.values).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(properties.year.values).toEqual(['2020', '2021', '2022', undefined]);
  });

  it('refuses a range over the limit, and an unbounded one, but can still check explicit values against it', () => {
    const properties = propertiesOf(Calendar, 1000);
    expect(properties.page.problem).toContain('5,001 values, more than maxIntegerRange (1,000)');
    expect(properties.size.problem).toContain('@IsInt() without both @Min() and @Max()');
    expect(['0', '5000'].every((raw) => properties.page.accepts?.(raw))).toBe(true);
    expect(['-1', '5001', '1.5', 'x', undefined].some((raw) => properties.page.accepts?.(raw))).toBe(false);
    expect(properties.page.allowed).toBe('integers >= 0 and <= 5000');
    expect(properties.size.accepts?.('123456')).toBe(true);
    expect(properties.size.allowed).toBe('integers >= 1');
  });

  it('an @IsIn list is a domain even when the range around it is too large', () => {
    const properties = propertiesOf(Calendar, 1000);
    expect(properties.limit.values).toEqual(['10', '20', '50', '5000']);
  });

  it('the limit is a parameter', () => {
    const small = Object.fromEntries(dtoProperties(Calendar, classValidator, 12).map((p) => [p.name, p]));
    expect(small.month.values).toHaveLength(12);
    expect(dtoProperties(Calendar, classValidator, 11).find((p) => p.name === 'month')?.problem).toContain('more than maxIntegerRange (11)');
  });
});

class Edges {
  @IsString()
  @classValidator.Length(1, 5)
  code!: string;

  @classValidator.IsInt({ each: true })
  ids!: number[];

  @classValidator.IsInt()
  @classValidator.Min(0)
  @classValidator.Min(1)
  @classValidator.Max(3)
  @classValidator.Max(4)
  small!: number;

  @classValidator.IsInt()
  @classValidator.Min(0)
  @classValidator.Min(10)
  @classValidator.Max(6000)
  @classValidator.Max(5000)
  wide!: number;

  @IsOptional()
  @classValidator.IsInt()
  @classValidator.Min(1)
  count?: number;

  @classValidator.IsInt()
  @classValidator.Max(5)
  below!: number;

  @classValidator.IsInt()
  whole!: number;

  @IsIn(['a', 'b'], { groups: ['admin'] })
  role!: string;

  @classValidator.ValidateIf((edges: Edges) => edges.role === 'a')
  @IsIn(['x', 'y'])
  scope!: string;

  // A custom validator that a user named like class-validator's own decorator: it checks, it does not make the property optional
  @classValidator.ValidateBy({ name: 'isOptional', validator: { validate: (value: unknown) => typeof value === 'string' } })
  @IsIn(['x', 'y'])
  label!: string;
}

describe('dtoProperties: edges', () => {
  it('names every validator of a property it cannot enumerate', () => {
    expect(propertiesOf(Edges).code.problem).toBe('(Edges.code) has no discrete validator (it has @IsLength, @IsString)');
  });

  it('refuses @IsInt({ each: true }): arrays are not enumerated', () => {
    expect(propertiesOf(Edges).ids.problem).toBe('(Edges.ids) validates each item of an array with @IsInt({ each: true }); arrays are not enumerated');
  });

  it('takes the tightest of several @Min() and @Max(), for a range and for the check of a range too large to list', () => {
    const properties = propertiesOf(Edges, 1000);
    expect(properties.small.values).toEqual(['1', '2', '3']);
    expect(properties.wide.allowed).toBe('integers >= 10 and <= 5000');
    expect(['10', '5000'].every((raw) => properties.wide.accepts?.(raw))).toBe(true);
    expect(['9', '5001', undefined].some((raw) => properties.wide.accepts?.(raw))).toBe(false);
  });

  it('says what an unbounded @IsInt() allows: one bound, none, and absent when optional', () => {
    const properties = propertiesOf(Edges);
    expect(properties.count.allowed).toBe('integers >= 1 or absent');
    expect([properties.count.accepts?.(undefined), properties.count.accepts?.('0'), properties.count.accepts?.('7')]).toEqual([true, false, true]);
    expect(properties.below.allowed).toBe('integers <= 5');
    expect(properties.whole.allowed).toBe('integers');
    expect([properties.whole.accepts?.('-123456'), properties.whole.accepts?.(undefined)]).toEqual([true, false]);
    expect(properties.whole.problem).toBe('(Edges.whole) has @IsInt() without both @Min() and @Max(), so its range is unbounded');
    // One bound alone is the same problem, named as such (not "a range that is not finite")
    expect(properties.count.problem).toBe('(Edges.count) has @IsInt() without both @Min() and @Max(), so its range is unbounded');
    expect(properties.below.problem).toBe('(Edges.below) has @IsInt() without both @Min() and @Max(), so its range is unbounded');
  });

  it('does not read @ValidateIf(), or a custom validator named isOptional, as @IsOptional(): absent is no value of its domain', () => {
    // Absent passes only when the condition is false, which depends on the other fields: precomputing it could store a 400
    expect(propertiesOf(Edges).scope.values).toStrictEqual(['x', 'y']);
    expect(propertiesOf(Edges).label.values).toStrictEqual(['x', 'y']);
  });

  it('reads validators of a group, as ValidationPipe without groups runs them', () => {
    expect(propertiesOf(Edges).role.values).toEqual(['a', 'b']);
  });
});
