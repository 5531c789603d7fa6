import { describe, expect, it } from '@jest/globals';
import { VERSION_NEUTRAL } from '@nestjs/common';
import { PathTemplate } from '../keys/path-template';
import type { RouteVersion } from '../keys/route-version';
import { routedRequest, selectRoute } from './route-variant';

const variant = (name: string, path: string, version?: RouteVersion) => ({
  name,
  route: { template: new PathTemplate(path), version, unconstrained: version === undefined },
});
const header = { type: 'header', header: 'X-API-Version' } as const;

describe('selectRoute', () => {
  it('picks the route of the request path, then of its version, else a neutral one', () => {
    const uri = [variant('v1', '/api/v1/report', '1'), variant('v2', '/api/v2/report', '2')];
    expect(selectRoute(uri, routedRequest({ url: '/api/v2/report?x=1', headers: {} }), { type: 'path' })?.name).toBe('v2');
    const byHeader = [variant('v1', '/report', '1'), variant('v2', '/report', '2'), variant('any', '/report', VERSION_NEUTRAL)];
    expect(selectRoute(byHeader, routedRequest({ url: '/report', headers: { 'x-api-version': '2' } }), header)?.name).toBe('v2');
    expect(selectRoute(byHeader, routedRequest({ url: '/report', headers: {} }), header)?.name).toBe('any');
  });

  it('uses the custom extractor on the request the router gives it (the raw one on Fastify), first wanted version first', () => {
    const variants = [variant('v1', '/report', '1'), variant('v2', '/report', '2')];
    const raw = { headers: { 'x-custom': '3,2,1' } };
    const custom = { type: 'custom', extract: (request: unknown) => String((request as typeof raw).headers['x-custom']).split(',') } as const;
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: {}, raw }), custom)?.name).toBe('v2');
    const throwing = { type: 'custom', extract: () => { throw new Error('no'); } } as const;
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: {} }), throwing)).toBeUndefined();
  });

  it('never guesses between routes it cannot tell apart', () => {
    const twins = [variant('a', '/a', '1'), variant('b', '/b', '1')];
    expect(selectRoute(twins, routedRequest({ url: '/A', headers: { 'x-api-version': '1' } }), header)).toBeUndefined();
    expect(selectRoute(twins, routedRequest({ url: '/b', headers: {} }), header)?.name).toBe('b');
  });
});
