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

describe('PathTemplate, edges', () => {
  it('the root may match itself only', () => {
    const root = new PathTemplate('/');
    expect(root.mayMatch('/')).toBe(true);
    expect(root.mayMatch('/x')).toBe(false);
    expect(root.isStatic).toBe(true);
  });

  it('a param segment needs a value, even when matched loosely', () => {
    const stores = new PathTemplate('/api/v1/stores/:store/report');
    expect(stores.mayMatch('/api/v1/stores//report')).toBe(false);
    expect(stores.mayMatch('/api/v1/stores/1/report/extra')).toBe(false);
    expect(stores.isStatic).toBe(false);
    expect(stores.simple).toBe(true);
  });

  it('names params by their declared name, and treats other special segments as complex', () => {
    expect(new PathTemplate('/a/:id_2/b').match('/a/7/b')).toEqual({ id_2: '7' });
    for (const path of ['/a/:id?', '/a/:id(\\d+)', '/a/b+', '/a/{b}', '/a/b!']) expect(new PathTemplate(path).simple).toBe(false);
    expect(new PathTemplate('/a/:id?').match('/a/1')).toBeUndefined();
  });

  it('overlaps: shorter against longer does not, a wildcard past the end does', () => {
    expect(new PathTemplate('/a').overlaps(new PathTemplate('/a/b'))).toBe(false);
    expect(new PathTemplate('/a/b').overlaps(new PathTemplate('/a'))).toBe(false);
    expect(new PathTemplate('/A/:x').overlaps(new PathTemplate('/a/b'))).toBe(true);
  });
});
