import { describe, expect, it } from '@jest/globals';
import type { ParameterSpec } from '../domains/domain-values';
import { CacheKeyBuilder } from './cache-key';
import { compileIgnoredQueryParams } from './query-ignore';

const params: ParameterSpec[] = [
  { name: 'store', source: 'path', values: ['101', 'a b'], origin: '' },
  { name: 'region', source: 'query', values: ['EMEA', 'APAC'], origin: '' },
  { name: 'level', source: 'query', values: ['1', '2', undefined], origin: '' },
];
const keys = new CacheKeyBuilder({ method: 'GET', path: '/stores/:store/report' }, params);

describe('CacheKeyBuilder', () => {
  it('builds a key that reads like the request: path filled, query sorted and encoded, absent left out', () => {
    expect(keys.keyOf(['101', 'EMEA', '2'])).toBe('GET /stores/101/report?level=2&region=EMEA');
    expect(keys.keyOf(['a b', 'APAC', undefined])).toBe('GET /stores/a%20b/report?region=APAC');
  });

  it('maps a raw request to the same key as the combination, whatever the query order', () => {
    const expected = keys.keyOf(['101', 'EMEA', '1']);
    expect(keys.keyOfRequest({ region: 'EMEA', level: '1' }, { store: '101' })).toBe(expected);
    expect(keys.keyOfRequest({ level: '1', region: 'EMEA' }, { store: '101' })).toBe(expected);
    expect(keys.keyOfRequest(Object.assign(Object.create(null), { level: '1', region: 'EMEA' }), { store: '101' })).toBe(expected);
  });

  it('refuses anything that is not exactly one combination', () => {
    expect(keys.keyOfRequest({ region: 'EMEA', level: '01' }, { store: '101' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'MARS' }, { store: '101' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: ['EMEA', 'APAC'] }, { store: '101' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'EMEA', extra: 'x' }, { store: '101' })).toBeUndefined();
    expect(keys.keyOfRequest({ level: '1' }, { store: '101' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'EMEA' }, { store: '999' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'EMEA', level: '' }, { store: '101' })).toBeUndefined();
  });

  it('is not fooled by prototype keys', () => {
    const withProto = JSON.parse('{"__proto__": "EMEA", "region": "EMEA"}') as Record<string, unknown>;
    expect(keys.keyOfRequest(withProto, { store: '101' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'EMEA', constructor: 'x' }, { store: '101' })).toBeUndefined();
    const onlyOwn = new CacheKeyBuilder({ method: 'GET', path: '/x' }, [{ name: 'constructor', source: 'query', values: ['a', undefined], origin: '' }]);
    expect(onlyOwn.keyOfRequest({}, {})).toBe('GET /x');
  });

  it('appends the route label (a version not in the path) to every key', () => {
    const versioned = new CacheKeyBuilder({ method: 'GET', path: '/stores/:store/report', label: " -H 'X-API-Version: 2'" }, params);
    expect(versioned.keyOf(['101', 'EMEA', undefined])).toBe("GET /stores/101/report?region=EMEA -H 'X-API-Version: 2'");
    expect(versioned.keyOfRequest({ region: 'EMEA' }, { store: '101' })).toBe(versioned.keyOf(['101', 'EMEA', undefined]));
  });

  it('skips ignored query keys that are not parameters, and only those', () => {
    const ignoring = new CacheKeyBuilder(keys.route, params, compileIgnoredQueryParams(['utm_*', 'level']));
    expect(ignoring.keyOfRequest({ region: 'EMEA', utm_source: 'x', utm_medium: ['a', 'b'] }, { store: '101' })).toBe('GET /stores/101/report?region=EMEA');
    // A parameter is never ignored: its value still selects the combination
    expect(ignoring.keyOfRequest({ region: 'EMEA', level: '1' }, { store: '101' })).toBe('GET /stores/101/report?level=1&region=EMEA');
    expect(ignoring.keyOfRequest({ region: 'EMEA', level: '9' }, { store: '101' })).toBeUndefined();
    expect(ignoring.keyOfRequest({ region: 'EMEA', ref: 'x' }, { store: '101' })).toBeUndefined();
  });
});

describe('CacheKeyBuilder, orders and absences', () => {
  const three: ParameterSpec[] = [
    { name: 'c', source: 'query', values: ['3'], origin: '' },
    { name: 'a', source: 'query', values: ['1'], origin: '' },
    { name: 'b', source: 'query', values: ['2'], origin: '' },
  ];

  it('sorts any number of query keys by name', () => {
    expect(new CacheKeyBuilder({ method: 'GET', path: '/x' }, three).keyOf(['3', '1', '2'])).toBe('GET /x?a=1&b=2&c=3');
    const named = (names: string[]) => new CacheKeyBuilder({ method: 'GET', path: '/x' }, names.map((name) => ({ name, source: 'query', values: ['v'], origin: '' })));
    expect(named(['b', 'a', 'c', 'a2']).keyOf(['v', 'v', 'v', 'v'])).toBe('GET /x?a=v&a2=v&b=v&c=v');
  });

  it('encodes query names, and keys the root path as /', () => {
    const odd = new CacheKeyBuilder({ method: 'GET', path: '/' }, [{ name: 'a b', source: 'query', values: ['x&y'], origin: '' }]);
    expect(odd.keyOf(['x&y'])).toBe('GET /?a%20b=x%26y');
    expect(new CacheKeyBuilder({ method: 'HEAD', path: '/' }, []).keyOf([])).toBe('HEAD /');
  });

  it('maps a request without query or route params when every parameter may be absent', () => {
    const optional = new CacheKeyBuilder({ method: 'GET', path: '/x' }, [{ name: 'q', source: 'query', values: [undefined, '1'], origin: '' }]);
    expect(optional.keyOfRequest(undefined, undefined)).toBe('GET /x');
    expect(optional.valuesOf(undefined, undefined)).toEqual([undefined]);
    expect(keys.keyOfRequest({ region: 'EMEA' }, undefined)).toBeUndefined();
  });
});
