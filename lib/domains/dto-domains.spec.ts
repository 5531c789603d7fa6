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
