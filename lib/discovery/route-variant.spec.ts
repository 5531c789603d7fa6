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

describe('routedRequest', () => {
  it('reads the URL Express routed (originalUrl, before any mount rewrote url), without its query', () => {
    const express = { originalUrl: '/api/v2/report?x=1', url: '/report', headers: { a: 'b' } };
    expect(routedRequest(express)).toEqual({ pathname: '/api/v2/report', headers: { a: 'b' }, raw: express });
  });

  it('reads a Fastify request: its url, and its Node request for the extractor', () => {
    const node = { headers: {} };
    expect(routedRequest({ url: '/report', headers: { 'x-api-version': '2' }, raw: node })).toEqual({
      pathname: '/report',
      headers: { 'x-api-version': '2' },
      raw: node,
    });
  });

  it('takes a request without URL or headers as the root, with no headers', () => {
    expect(routedRequest({})).toMatchObject({ pathname: '/', headers: {} });
  });
});

describe('selectRoute, more variants', () => {
  it('serves the only route of a handler whatever the URL looks like', () => {
    const only = [variant('only', '/report', '2')];
    expect(selectRoute(only, routedRequest({ url: '/REPORT/', headers: {} }), header)?.name).toBe('only');
  });

  it('takes an unversioned route as the neutral one when the request has no version', () => {
    const variants = [variant('v1', '/report', '1'), variant('plain', '/report')];
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: {} }), header)?.name).toBe('plain');
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: { 'x-api-version': '1' } }), header)?.name).toBe('v1');
  });

  it('refuses two neutral routes, and a version no route has when no neutral one is there', () => {
    const twoNeutral = [variant('a', '/report'), variant('b', '/report')];
    expect(selectRoute(twoNeutral, routedRequest({ url: '/report', headers: {} }), header)).toBeUndefined();
    const versioned = [variant('v1', '/report', '1'), variant('v2', '/report', '2')];
    expect(selectRoute(versioned, routedRequest({ url: '/report', headers: { 'x-api-version': '3' } }), header)).toBeUndefined();
  });

  it('reads one version from a custom extractor that returns a string', () => {
    const variants = [variant('v1', '/report', '1'), variant('v2', '/report', '2')];
    const custom = { type: 'custom', extract: () => '1' } as const;
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: {} }), custom)?.name).toBe('v1');
  });
});

describe('selectRoute, URLs not in canonical form', () => {
  it('picks among all of the handler\'s routes by version when no path matches exactly', () => {
    const variants = [variant('v1', '/report', '1'), variant('v2', '/report', '2')];
    expect(selectRoute(variants, routedRequest({ url: '/REPORT/', headers: { 'x-api-version': '2' } }), header)?.name).toBe('v2');
  });

  it('falls back to the VERSION_NEUTRAL route when the extractor gives no version', () => {
    const variants = [variant('v1', '/report', '1'), variant('neutral', '/report', VERSION_NEUTRAL)];
    const throwing = { type: 'custom', extract: () => { throw new Error('no version'); } } as const;
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: {} }), throwing)?.name).toBe('neutral');
    const none = { type: 'custom', extract: () => [] } as const;
    expect(selectRoute(variants, routedRequest({ url: '/report', headers: {} }), none)?.name).toBe('neutral');
  });
});
