import { describe, expect, it } from '@jest/globals';
import { ParseIntPipe } from '@nestjs/common';
import * as classValidator from 'class-validator';
import { IsEnum, IsString } from 'class-validator';
import { PATH_PARAM_TYPE, QUERY_PARAM_TYPE } from '../discovery/nest-internals';
import { resolveCombinationList } from './combination-list';

enum Subregion {
  EMEA = 'EMEA',
  APAC = 'APAC',
}
class PairQuery {
  @IsEnum(Subregion)
  subregion!: Subregion;
  @IsString()
  store_id!: string;
}

/** `get(@Param('country') country: string, @Query() query: PairQuery, @Query('page', ParseIntPipe) page: number)` */
const source = {
  handler: 'C.get',
  routeArgs: [
    { index: 0, type: PATH_PARAM_TYPE, data: 'country', pipes: [] },
    { index: 1, type: QUERY_PARAM_TYPE, data: undefined, pipes: [] },
    { index: 2, type: QUERY_PARAM_TYPE, data: 'page', pipes: [new ParseIntPipe({ optional: true })] },
  ],
  paramtypes: [String, PairQuery, Number],
  classValidator,
};

describe('resolveCombinationList', () => {
  it('keeps exactly the listed combinations (aligned with the params, duplicates removed); a left-out query key is absent', () => {
    const result = resolveCombinationList(source, [
      { country: 'de', subregion: 'EMEA', store_id: '101' },
      { country: 'jp', subregion: 'APAC', store_id: '201', page: '2' },
      { country: 'de', subregion: 'EMEA', store_id: '101' },
    ]);
    expect(result.failures).toEqual([]);
    expect(result.params.map((param) => [param.name, param.values])).toEqual([
      ['country', ['de', 'jp']],
      ['subregion', ['EMEA', 'APAC']],
      ['store_id', ['101', '201']],
      ['page', [undefined, '2']],
    ]);
    expect(result.list).toEqual([
      ['de', 'EMEA', '101', undefined],
      ['jp', 'APAC', '201', '2'],
    ]);
  });

  it('refuses the whole list, naming each invalid combination and why', () => {
    const result = resolveCombinationList(source, [
      { country: 'de', subregion: 'EMEA', store_id: '101' },
      { country: 'de', subregion: 'MARS', store_id: '1' },
      { subregion: 'EMEA', store_id: '1' },
      { country: 'de', subregion: 'EMEA', store_id: '1', page: 'two', shop: 'x' },
    ]);
    expect(result.failures).toHaveLength(1);
    const [message] = result.failures;
    expect(message).toContain('C.get: 3 of the 4 combinations from @Precomputed({ combinations }) are invalid');
    expect(message).toContain('#1 {"country":"de","subregion":"MARS","store_id":"1"}: subregion = "MARS" is refused by @PairQuery.subregion (allows "EMEA", "APAC")');
    expect(message).toContain('#2 {"subregion":"EMEA","store_id":"1"}: route param "country" is missing');
    expect(message).toContain('key "shop" is not a parameter of the handler (its parameters: country, subregion, store_id, page)');
    expect(message).toContain('page = "two" is refused by ParseIntPipe on @Query(\'page\') (allows integers or absent)');
    expect(message).not.toContain('#0');
  });

  it('an empty list is valid: nothing to precompute', () => {
    const result = resolveCombinationList(source, []);
    expect(result.failures).toEqual([]);
    expect(result.list).toEqual([]);
  });
});

describe('resolveCombinationList, messages', () => {
  const country = { handler: 'C.get', routeArgs: [{ index: 0, type: PATH_PARAM_TYPE, data: 'country', pipes: [] }], paramtypes: [String] };
  const failure = (result: { failures: readonly string[] }) => {
    expect(result.failures).toHaveLength(1);
    return result.failures[0];
  };

  it('joins the reasons of one combination with "; ", after the combination itself', () => {
    const message = failure(resolveCombinationList(source, [{ country: 'de', subregion: 'EMEA', store_id: '1', page: 'two', shop: 'x' }]));
    expect(message).toContain(
      '  - #0 {"country":"de","subregion":"EMEA","store_id":"1","page":"two","shop":"x"}: ' +
        'key "shop" is not a parameter of the handler (its parameters: country, subregion, store_id, page); ' +
        'page = "two" is refused by ParseIntPipe on @Query(\'page\') (allows integers or absent)\n',
    );
  });

  it('says "none" when the handler has no parameters', () => {
    expect(failure(resolveCombinationList({ handler: 'C.get', routeArgs: [], paramtypes: [] }, [{ a: '1' }]))).toContain(
      '#0 {"a":"1"}: key "a" is not a parameter of the handler (its parameters: none)',
    );
  });

  it('shows ten invalid combinations, one per line, then how many more', () => {
    const twelve = failure(resolveCombinationList(country, Array.from({ length: 12 }, () => ({}))));
    expect(twelve).toContain('12 of the 12 combinations');
    expect(twelve).toContain('\n  - #0 {}: route param "country" is missing\n  - #1 {}: route param "country" is missing\n');
    expect(twelve).toContain('\n  - #9 {}: route param "country" is missing\n  ... and 2 more\n');
    expect(twelve).not.toContain('#10');
    const ten = failure(resolveCombinationList(country, Array.from({ length: 10 }, () => ({}))));
    expect(ten).toContain('\n  - #9 {}: route param "country" is missing\nEach object');
    expect(ten).not.toContain('more');
  });

  it('refuses a whole @Query() object without a DTO when no combination gives it a key', () => {
    const objectOnly = { ...country, routeArgs: [...country.routeArgs, { index: 1, type: QUERY_PARAM_TYPE, data: undefined, pipes: [] }], paramtypes: [String, Object] };
    expect(failure(resolveCombinationList(objectOnly, [{ country: 'de' }]))).toContain(
      '\n  - C.get: parameter #1 is a whole @Query() object without a DTO class, so its keys are unknown.',
    );
    expect(resolveCombinationList(objectOnly, []).failures).toEqual([]);
    const keyed = resolveCombinationList(objectOnly, [{ country: 'de', channel: 'web' }]);
    expect(keyed.failures).toEqual([]);
    expect(keyed.list).toEqual([['de', 'web']]);
  });

  it('names the list as the origin of the values', () => {
    expect(resolveCombinationList(country, [{ country: 'de' }]).params).toEqual([
      { name: 'country', source: 'path', values: ['de'], origin: '@Precomputed({ combinations })' },
    ]);
  });
});
