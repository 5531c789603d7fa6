import { describe, expect, it } from '@jest/globals';
import { FreshnessPolicy } from './freshness-policy';

const handler = (options: { ttlSeconds?: number; version?: string } = {}) => ({ options });
const entry = (computedAt: number, version?: string) => ({ computedAt, ...(version === undefined ? {} : { version }) });

describe('FreshnessPolicy', () => {
  it('ttlMs: the handler TTL wins over the module default; none means never', () => {
    expect(new FreshnessPolicy(60).ttlMs(handler())).toBe(60_000);
    expect(new FreshnessPolicy(60).ttlMs(handler({ ttlSeconds: 2 }))).toBe(2_000);
    expect(new FreshnessPolicy().ttlMs(handler({ ttlSeconds: 0.5 }))).toBe(500);
    expect(new FreshnessPolicy().ttlMs(handler())).toBeUndefined();
  });

  it('isStale: older than the TTL is stale, exactly at the TTL is not', () => {
    const policy = new FreshnessPolicy(10);
    expect(policy.isStale(handler(), entry(1_000), 11_000)).toBe(false);
    expect(policy.isStale(handler(), entry(1_000), 11_001)).toBe(true);
    expect(policy.isStale(handler(), entry(1_000), 1_000)).toBe(false);
  });

  it('isStale: without a TTL an entry of the current version stays fresh forever', () => {
    expect(new FreshnessPolicy().isStale(handler(), entry(0), Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(new FreshnessPolicy().isStale(handler({ version: '2' }), entry(0, '2'), Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('isOutdated: another version, or a version added or removed, is outdated', () => {
    const policy = new FreshnessPolicy();
    expect(policy.isOutdated(handler({ version: '2' }), entry(0, '2'))).toBe(false);
    expect(policy.isOutdated(handler({ version: '2' }), entry(0, '1'))).toBe(true);
    expect(policy.isOutdated(handler({ version: '2' }), entry(0))).toBe(true);
    expect(policy.isOutdated(handler(), entry(0, '1'))).toBe(true);
    expect(policy.isOutdated(handler(), entry(0))).toBe(false);
  });

  it('isStale: an outdated entry is stale however young', () => {
    const policy = new FreshnessPolicy(3600);
    expect(policy.isStale(handler({ version: '2' }), entry(1_000, '1'), 1_000)).toBe(true);
  });

  it('isStale uses the current time when none is given', () => {
    const policy = new FreshnessPolicy(1);
    expect(policy.isStale(handler(), entry(Date.now() - 5_000))).toBe(true);
    expect(policy.isStale(handler(), entry(Date.now()))).toBe(false);
  });
});
