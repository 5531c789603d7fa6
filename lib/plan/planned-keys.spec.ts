import { describe, expect, it } from '@jest/globals';
import type { ParameterSpec } from '../domains/domain-values';
import { combinations } from './combinations';
import { PlannedKeys } from './planned-keys';

const route = { method: 'GET', path: '/stores/:store/report' };
const params: ParameterSpec[] = [
  { name: 'store', source: 'path', values: ['101', '201'], origin: '' },
  { name: 'region', source: 'query', values: ['EMEA', 'APAC'], origin: '' },
];

describe('PlannedKeys', () => {
  it('without a list or unknown domain: the product of the domains, as CacheKeyBuilder', () => {
    const keys = new PlannedKeys(route, params);
    expect(keys.total).toBe(4);
    expect([...combinations(keys)]).toHaveLength(4);
    expect(keys.keyOfRequest({ region: 'APAC' }, { store: '101' })).toBe('GET /stores/101/report?region=APAC');
  });

  it('with an exact list: plans the list, and a request is a combination only if listed', () => {
    const keys = new PlannedKeys(route, params, { list: [['101', 'EMEA'], ['201', 'APAC']] });
    expect(keys.total).toBe(2);
    expect([...combinations(keys)]).toEqual([['101', 'EMEA'], ['201', 'APAC']]);
    expect(keys.keyOfRequest({ region: 'EMEA' }, { store: '101' })).toBe('GET /stores/101/report?region=EMEA');
    expect(keys.keyOfRequest({ region: 'APAC' }, { store: '101' })).toBeUndefined();
  });

  it('with an unknown domain: plans nothing, and a request is a combination only if the store holds it', () => {
    const stored = new Set(['GET /stores/999/report?region=EMEA']);
    const keys = new PlannedKeys(route, [{ ...params[0], values: [] }, params[1]], { unknown: [0], isStored: (key) => stored.has(key) });
    expect(keys.total).toBe(0);
    expect([...combinations(keys)]).toEqual([]);
    expect(keys.keyOfRequest({ region: 'EMEA' }, { store: '999' })).toBe('GET /stores/999/report?region=EMEA');
    // not stored, a known parameter outside its domain, an unknown query key, a repeated key
    expect(keys.keyOfRequest({ region: 'APAC' }, { store: '999' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'MARS' }, { store: '999' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: 'EMEA', debug: '1' }, { store: '999' })).toBeUndefined();
    expect(keys.keyOfRequest({ region: ['EMEA', 'EMEA'] }, { store: '999' })).toBeUndefined();
  });

  it('with an unknown domain and no store to ask: nothing is a combination', () => {
    const keys = new PlannedKeys(route, [{ ...params[0], values: [] }, params[1]], { unknown: [0] });
    expect(keys.keyOfRequest({ region: 'EMEA' }, { store: '999' })).toBeUndefined();
  });
});

describe('PlannedKeys, more', () => {
  it('keeps its plan at another route of the handler, with that route\'s ignored query keys', () => {
    const keys = new PlannedKeys(route, params, { list: [['101', 'EMEA']] });
    const v2 = keys.atRoute({ method: 'GET', path: '/v2/stores/:store/report' }, (name) => name === 'utm');
    expect(v2.keyOfRequest({ region: 'EMEA', utm: 'x' }, { store: '101' })).toBe('GET /v2/stores/101/report?region=EMEA');
    expect(v2.keyOfRequest({ region: 'APAC' }, { store: '201' })).toBeUndefined();
    expect(v2.total).toBe(1);
    expect(keys.keyOfRequest({ region: 'EMEA', utm: 'x' }, { store: '101' })).toBeUndefined();
  });

  it('says whether its domain is unknown', () => {
    expect(new PlannedKeys(route, params).isUnknown).toBe(false);
    expect(new PlannedKeys(route, params, { unknown: [1] }).isUnknown).toBe(true);
  });

  it('with an unknown route param: needs a non-empty value; an unknown query param may be absent', () => {
    const stored = new Set(['GET /stores/7/report?region=EMEA', 'GET /stores//report?region=EMEA', 'GET /stores/7/report']);
    const unknownPath = new PlannedKeys(route, [{ ...params[0], values: [] }, params[1]], { unknown: [0], isStored: (key) => stored.has(key) });
    expect(unknownPath.keyOfRequest({ region: 'EMEA' }, { store: '' })).toBeUndefined();
    expect(unknownPath.keyOfRequest({ region: 'EMEA' }, {})).toBeUndefined();
    expect(unknownPath.keyOfRequest({ region: 'EMEA' }, undefined)).toBeUndefined();
    const unknownQuery = new PlannedKeys(route, [params[0], { ...params[1], values: [] }], { unknown: [1], isStored: (key) => stored.has(key) });
    expect(unknownQuery.keyOfRequest({}, { store: '101' })).toBeUndefined();
    const storedQuery = new PlannedKeys({ method: 'GET', path: '/stores/:store/report' }, [{ ...params[0], values: ['7'] }, { ...params[1], values: [] }], {
      unknown: [1],
      isStored: (key) => stored.has(key),
    });
    expect(storedQuery.keyOfRequest(undefined, { store: '7' })).toBe('GET /stores/7/report');
    expect(storedQuery.keyOfRequest({ region: 'EMEA', utm: '1' }, { store: '7' })).toBeUndefined();
  });

  it('with an unknown domain, ignored query keys do not stop a stored combination', () => {
    const stored = new Set(['GET /stores/999/report?region=EMEA']);
    const keys = new PlannedKeys(route, [{ ...params[0], values: [] }, params[1]], { unknown: [0], isStored: (key) => stored.has(key) }, (name) => name.startsWith('utm_'));
    expect(keys.keyOfRequest({ region: 'EMEA', utm_source: 'x' }, { store: '999' })).toBe('GET /stores/999/report?region=EMEA');
  });
});
