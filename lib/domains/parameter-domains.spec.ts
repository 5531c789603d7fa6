import { describe, expect, it } from '@jest/globals';
import { ParseEnumPipe, ParseIntPipe } from '@nestjs/common';
import { QUERY_PARAM_TYPE } from '../discovery/nest-internals';
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
