import { describe, expect, it } from '@jest/globals';
import type { ParameterSpec } from '../domains/domain-values';
import { IGNORE_NOTHING } from '../keys/query-ignore';
import { HandlerPlan, type DomainSource } from './handler-plan';
import { PlannedKeys } from './planned-keys';

const first = { method: 'GET', path: '/stores/:store' };
const v2 = { method: 'GET', path: '/v2/stores/:store' };
const stores = (...values: string[]): ParameterSpec[] => [{ name: 'store', source: 'path', values, origin: '' }];
const source = {} as DomainSource;

describe('HandlerPlan', () => {
  it('serves the keys of its own route, built from the plan of the first route', () => {
    const plan = new HandlerPlan(source, v2, IGNORE_NOTHING, { keys: new PlannedKeys(first, stores('101')) });
    expect(plan.keys.keyOfRequest({}, { store: '101' })).toBe('GET /v2/stores/101');
    expect(plan.total).toBe(1);
    expect(plan.failure).toBeUndefined();
  });

  it('use(): the new keys replace the old ones (a removed value is no longer a combination)', () => {
    const plan = new HandlerPlan(source, v2, IGNORE_NOTHING, { keys: new PlannedKeys(first, stores('101', '102')) });
    plan.use(new PlannedKeys(first, stores('102', '103')));
    expect(plan.keys.keyOfRequest({}, { store: '103' })).toBe('GET /v2/stores/103');
    expect(plan.keys.keyOfRequest({}, { store: '101' })).toBeUndefined();
    expect(plan.total).toBe(2);
  });

  it('fail(): the keys stay and the failure is kept, until a later use() clears it', () => {
    const plan = new HandlerPlan(source, first, IGNORE_NOTHING, { keys: new PlannedKeys(first, stores('101')) });
    const before = plan.keys;
    plan.fail('StoreController.get: the domain function of parameter "store" threw');
    expect(plan.keys).toBe(before);
    expect(plan.failure).toContain('parameter "store"');
    plan.use(new PlannedKeys(first, stores('101')));
    expect(plan.failure).toBeUndefined();
  });
});
