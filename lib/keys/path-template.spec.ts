import { describe, expect, it } from '@jest/globals';
import { PathTemplate } from './path-template';

describe('PathTemplate', () => {
  const stores = new PathTemplate('/api/v1/stores/:store/report');

  it('matches only the canonical spelling of a URL, with params decoded', () => {
    expect(stores.match('/api/v1/stores/a%20b/report')).toEqual({ store: 'a b' });
    expect(stores.match('/api/v1/stores/101/report/')).toBeUndefined();
    expect(stores.match('/API/v1/stores/101/report')).toBeUndefined();
    expect(stores.match('/api/v1/stores//report')).toBeUndefined();
    expect(stores.match('/api/v1/stores/%E0%A4%A/report')).toBeUndefined();
    expect(stores.match('/v1/stores/101/report')).toBeUndefined();
    expect(new PathTemplate('/').match('/')).toEqual({});
  });

  it('may match what some router setting routes to it: any case, a trailing slash, wildcards by their prefix', () => {
    expect(stores.mayMatch('/API/V1/stores/101/report/')).toBe(true);
    expect(stores.mayMatch('/api/v1/stores/101')).toBe(false);
    const wildcard = new PathTemplate('/api/*path');
    expect(wildcard.simple).toBe(false);
    expect(wildcard.match('/api/x')).toBeUndefined();
    expect(wildcard.mayMatch('/api/v1/stores/101/report')).toBe(true);
    expect(wildcard.mayMatch('/other')).toBe(false);
  });

  it('overlaps another template when one URL could reach both', () => {
    expect(stores.overlaps(new PathTemplate('/api/v1/stores/special/report'))).toBe(true);
    expect(stores.overlaps(new PathTemplate('/api/v1/STORES/:id/report'))).toBe(true);
    expect(stores.overlaps(new PathTemplate('/api/v2/stores/:store/report'))).toBe(false);
    expect(stores.overlaps(new PathTemplate('/api/v1/stores/:store'))).toBe(false);
    expect(stores.overlaps(new PathTemplate('/api/{*rest}'))).toBe(true);
  });
});
