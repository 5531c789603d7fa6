import { describe, expect, it } from '@jest/globals';
import { ParseEnumPipe, ParseIntPipe } from '@nestjs/common';
import { PATH_PARAM_TYPE, QUERY_PARAM_TYPE } from '../discovery/nest-internals';
import { resolveDomains, type ExplicitDomain } from './parameter-domains';

enum Channel {
  Web = 'web',
  Shop = 'shop',
}
/** `get(@Query('year', ParseIntPipe) year: number, @Query('channel', new ParseEnumPipe(Channel)) channel: Channel)` */
const base = {
  handler: 'C.get',
  routeArgs: [
    { index: 0, type: QUERY_PARAM_TYPE, data: 'year', pipes: [ParseIntPipe] },
    { index: 1, type: QUERY_PARAM_TYPE, data: 'channel', pipes: [new ParseEnumPipe(Channel)] },
  ],
  paramtypes: [Number, String],
};
const given = (values: Array<string | undefined>, dynamic = false): ExplicitDomain => ({ values, origin: dynamic ? 'the domain function of "x"' : '@Precomputed({ params: { x } })', dynamic });

describe('resolveDomains', () => {
  it('explicit values that pass the pipes override what is inferred', () => {
    const result = resolveDomains({ ...base, explicit: { year: given(['2024', '2025']), channel: given(['web']) } });
    expect(result.problems).toEqual([]);
    expect(result.params.map((param) => param.values)).toEqual([['2024', '2025'], ['web']]);
  });

  it('a ParseIntPipe parameter needs explicit values, and refuses non-integers', () => {
    expect(resolveDomains({ ...base, explicit: {} }).problems[0]).toContain("C.get: parameter #0 @Query('year') has ParseIntPipe, which accepts any integer");
    const refused = resolveDomains({ ...base, explicit: { year: given(['2024', 'x', undefined]) } });
    expect(refused.problems).toEqual([expect.stringContaining('gives parameter "year" the value(s) "x", (absent), which ParseIntPipe on @Query(\'year\') (allows integers) refuses')]);
  });

  it('values outside an enum pipe are refused: a problem in code, a failure in data', () => {
    const inCode = resolveDomains({ ...base, explicit: { year: given(['1']), channel: given(['web', 'fax']) } });
    expect(inCode.problems).toEqual([expect.stringContaining('"fax", which ParseEnumPipe on @Query(\'channel\') (allows "web", "shop") refuses')]);
    const inData = resolveDomains({ ...base, explicit: { year: given(['1']), channel: given(['fax'], true) } });
    expect(inData.problems).toEqual([]);
    expect(inData.failures).toEqual([expect.stringContaining('the domain function of "x" gives parameter "channel" the value(s) "fax"')]);
  });

  it('an empty list is a mistake in code, but only "nothing today" in data', () => {
    expect(resolveDomains({ ...base, explicit: { year: given([]) } }).problems[0]).toContain('parameter "year" has no possible value');
    const empty = resolveDomains({ ...base, explicit: { year: given([], true) } });
    expect(empty.problems).toEqual([]);
    expect(empty.params[0].values).toEqual([]);
  });

  it('an unknown domain leaves the parameter without values, marked unknown', () => {
    const result = resolveDomains({ ...base, explicit: { year: { ...given([], true), unknown: true } } });
    expect(result.problems).toEqual([]);
    expect(result.unknown).toEqual([0]);
  });
});

describe('resolveDomains, more variants', () => {
  it('reports a name in params that is no parameter, and a parameter that can never be precomputed', () => {
    const misnamed = resolveDomains({ ...base, explicit: { year: given(['1']), channel: given(['web']), yaer: given(['1']) } });
    expect(misnamed.problems).toEqual([
      'C.get: @Precomputed({ params }) names "yaer", which is not a parameter of this handler (its parameters: year, channel). Fix the name, or remove it.',
    ]);
    const withBody = resolveDomains({
      ...base,
      routeArgs: [...base.routeArgs, { index: 2, type: 3, data: undefined, pipes: [] }],
      paramtypes: [...base.paramtypes, Object],
      explicit: { year: given(['1']) },
    });
    expect(withBody.problems).toEqual([expect.stringContaining('C.get: parameter #2 uses @Body()')]);
  });

  it('an unknown domain has no values and keeps the origin of its function', () => {
    const result = resolveDomains({ ...base, explicit: { year: { ...given([], true), unknown: true } } });
    expect(result.params[0]).toEqual({ name: 'year', source: 'query', values: [], origin: 'the domain function of "x"' });
  });

  it('a route param is never absent: an absent value given for it is dropped', () => {
    const route = { handler: 'C.get', routeArgs: [{ index: 0, type: PATH_PARAM_TYPE, data: 'id', pipes: [ParseIntPipe] }], paramtypes: [Number] };
    const result = resolveDomains({ ...route, explicit: { id: given(['1', undefined, '2']) } });
    expect(result.problems).toEqual([]);
    expect(result.params).toEqual([{ name: 'id', source: 'path', values: ['1', '2'], origin: '@Precomputed({ params: { x } })' }]);
  });
});
