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
