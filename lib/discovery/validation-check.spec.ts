import { describe, expect, it } from '@jest/globals';
import { ParseEnumPipe, ValidationPipe, type PipeTransform } from '@nestjs/common';
import type { ArgumentSpec } from '../domains/parameter-domains';
import { unvalidatedArguments } from './validation-check';

class Query {}
class AppPipe implements PipeTransform {
  transform(value: unknown) {
    return value;
  }
}
enum E {
  A = 'a',
}
const dto: ArgumentSpec = { index: 0, source: 'query', metatype: Query, pipes: [] };
const named: ArgumentSpec = { index: 1, source: 'path', name: 'id', metatype: String, pipes: [] };

describe('unvalidatedArguments', () => {
  it('names a DTO without a ValidationPipe at any level (class or instance, global to parameter)', () => {
    expect(unvalidatedArguments([dto], [])).toEqual(['@Query() Query']);
    expect(unvalidatedArguments([dto], [new AppPipe()])).toEqual(['@Query() Query']);
    expect(unvalidatedArguments([dto], [new ValidationPipe()])).toEqual([]);
    expect(unvalidatedArguments([dto], [ValidationPipe])).toEqual([]);
    expect(unvalidatedArguments([{ ...dto, pipes: [class extends ValidationPipe {}] }], [])).toEqual([]);
  });

  it('names a named value without a pipe of its own (a ValidationPipe skips plain values)', () => {
    expect(unvalidatedArguments([named], [new ValidationPipe()])).toEqual(["@Param('id')"]);
    expect(unvalidatedArguments([{ ...named, pipes: [new ParseEnumPipe(E)] }], [])).toEqual([]);
    expect(unvalidatedArguments([named], [AppPipe])).toEqual([]);
  });
});

describe('unvalidatedArguments, each form', () => {
  it('names a DTO-less object by its decorator: a ValidationPipe skips it, any other pipe may validate it', () => {
    const object: ArgumentSpec = { index: 0, source: 'query', metatype: Object, pipes: [] };
    expect(unvalidatedArguments([object], [])).toEqual(['@Query()']);
    expect(unvalidatedArguments([object], [new ValidationPipe()])).toEqual(['@Query()']);
    expect(unvalidatedArguments([object], [new AppPipe()])).toEqual([]);
    expect(unvalidatedArguments([{ ...object, source: 'path' }], [])).toEqual(['@Param()']);
  });

  it('names a route-param DTO and a named query value by their own decorator', () => {
    expect(unvalidatedArguments([{ ...dto, source: 'path' }], [])).toEqual(['@Param() Query']);
    expect(unvalidatedArguments([{ ...named, source: 'query' }], [])).toEqual(["@Query('id')"]);
  });

  it('accepts a ValidationPipe instance on the DTO parameter itself, and lists every unvalidated one', () => {
    expect(unvalidatedArguments([{ ...dto, pipes: [new ValidationPipe()] }], [])).toEqual([]);
    expect(unvalidatedArguments([dto, named], [])).toEqual(['@Query() Query', "@Param('id')"]);
  });

  it('does not take a pipe class that is no ValidationPipe for one', () => {
    expect(unvalidatedArguments([{ ...dto, pipes: [AppPipe] }], [])).toEqual(['@Query() Query']);
    expect(unvalidatedArguments([dto], [AppPipe])).toEqual(['@Query() Query']);
  });
});
