import { describe, expect, it } from '@jest/globals';
import { ParseBoolPipe, ParseIntPipe } from '@nestjs/common';
import * as classValidator from 'class-validator';
import { IsBoolean } from 'class-validator';
import { PATH_PARAM_TYPE, QUERY_PARAM_TYPE } from '../discovery/nest-internals';
import { assignLeftovers, describeParameters } from './parameter-slots';

class Flags {
  @IsBoolean()
  draft!: boolean;
}

const arg = (index: number, type: number, data?: string, pipes: unknown[] = []) => ({ index, type, data, pipes: pipes as never[] });

describe('describeParameters', () => {
  it('names each parameter that can never be precomputed, and how to fix it', () => {
    const { problems, slots, args } = describeParameters({
      handler: 'C.get',
      routeArgs: [arg(0, -1), arg(1, 1), arg(2, 2), arg(3, 3), arg(4, 99)],
      paramtypes: [],
    });
    expect(slots).toEqual([]);
    expect(args).toEqual([]);
    expect(problems).toEqual([
      'C.get: parameter #0 uses a custom param decorator, whose value is not known before a request arrives. Use @Query()/@Param() with discrete values, or remove @Precomputed().',
      'C.get: parameter #1 uses @Res(); a cached answer cannot be written through the raw response object (the request would hang). Return the value from the handler instead.',
      expect.stringContaining('C.get: parameter #2 uses @Next(); a cached answer'),
      expect.stringContaining('C.get: parameter #3 uses @Body(), whose value is not known before a request arrives.'),
      expect.stringContaining('C.get: parameter #4 uses a parameter decorator, whose value is not known'),
    ]);
  });

  it('reads named query and route params with their pipes, and the properties of a DTO', () => {
    const { slots, args, problems, objects } = describeParameters({
      handler: 'C.get',
      routeArgs: [arg(0, PATH_PARAM_TYPE, 'id', [ParseIntPipe]), arg(1, QUERY_PARAM_TYPE, 'on', [ParseBoolPipe]), arg(2, QUERY_PARAM_TYPE)],
      paramtypes: [Number, Boolean, Flags],
      classValidator,
    });
    expect(problems).toEqual([]);
    expect(objects).toEqual([]);
    expect(slots.map((slot) => [slot.name, slot.source, slot.subject, slot.rule?.origin])).toEqual([
      ['id', 'path', "parameter #0 @Param('id')", "ParseIntPipe on @Param('id')"],
      ['on', 'query', "parameter #1 @Query('on')", "ParseBoolPipe on @Query('on')"],
      ['draft', 'query', 'property "draft"', '@Flags.draft'],
    ]);
    expect(slots[2].rule?.values).toEqual(['true', 'false']);
    expect(args).toEqual([
      { index: 0, source: 'path', name: 'id', metatype: Number, pipes: [ParseIntPipe] },
      { index: 1, source: 'query', name: 'on', metatype: Boolean, pipes: [ParseBoolPipe] },
      { index: 2, source: 'query', metatype: Flags, pipes: [] },
    ]);
  });

  it('refuses a parameter declared twice, and keeps a query key and a route param of one name apart', () => {
    const { slots, problems } = describeParameters({
      handler: 'C.get',
      routeArgs: [arg(0, QUERY_PARAM_TYPE, 'id'), arg(1, QUERY_PARAM_TYPE, 'id'), arg(2, PATH_PARAM_TYPE, 'id')],
      paramtypes: [String, String, String],
    });
    expect(problems).toEqual(['C.get: the query "id" parameter is declared twice. Declare each query key or route param once.']);
    expect(slots.map((slot) => slot.source)).toEqual(['query', 'path']);
  });

  it('a DTO property without a discrete validator is a slot whose rule says why', () => {
    class Loose {
      @classValidator.IsString()
      name!: string;
    }
    const { slots } = describeParameters({ handler: 'C.get', routeArgs: [arg(0, QUERY_PARAM_TYPE)], paramtypes: [Loose], classValidator });
    expect(slots[0].rule).toMatchObject({ origin: '@Loose.name', problem: '(Loose.name) has no discrete validator (it has @IsString)' });
  });
});

describe('assignLeftovers', () => {
  const objectOnly = (type: number) => describeParameters({ handler: 'C.get', routeArgs: [arg(0, type)], paramtypes: [Object] });

  it('gives names no parameter has to the first DTO-less object, as keys nothing is known about', () => {
    const { slots, problems } = assignLeftovers('C.get', objectOnly(QUERY_PARAM_TYPE), ['a', 'b'], () => 'unused');
    expect(problems).toEqual([]);
    expect(slots).toEqual([
      { name: 'a', source: 'query', subject: 'key "a"' },
      { name: 'b', source: 'query', subject: 'key "b"' },
    ]);
  });

  it('a DTO-less object with no names left is a problem; names with nowhere to go are reported', () => {
    const { problems } = assignLeftovers('C.get', objectOnly(PATH_PARAM_TYPE), [], () => 'unused');
    expect(problems).toEqual([
      'C.get: parameter #0 is a whole @Param() object without a DTO class, so its keys are unknown. Type it with a DTO class whose properties use @IsEnum/@IsIn/@IsBoolean, or list its keys with @Precomputed({ params: { <key>: [...] } }).',
    ]);
    const named = describeParameters({ handler: 'C.get', routeArgs: [arg(0, QUERY_PARAM_TYPE, 'x', [ParseBoolPipe])], paramtypes: [Boolean] });
    const { slots, problems: unknown } = assignLeftovers('C.get', named, ['x', 'y'], (name, known) => `${name} not in ${known.join('+')}`);
    expect(slots.map((slot) => slot.name)).toEqual(['x']);
    expect(unknown).toEqual(['y not in x']);
  });
});
