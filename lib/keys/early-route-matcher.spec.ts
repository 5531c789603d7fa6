import { describe, expect, it } from '@jest/globals';
import { VERSION_NEUTRAL } from '@nestjs/common';
import { EarlyRouteMatcher, type RouteCandidate } from './early-route-matcher';
import { PathTemplate } from './path-template';
import type { RouteVersion, VersionSelector } from './route-version';

const route = (path: string, target?: string, version?: RouteVersion, unconstrained = version === undefined): RouteCandidate<string> => ({
  template: new PathTemplate(path),
  version,
  unconstrained,
  ...(target === undefined ? {} : { target }),
});
const HEADER: VersionSelector = { type: 'header', header: 'X-API-Version' };
const PATH: VersionSelector = { type: 'path' };

describe('EarlyRouteMatcher', () => {
  it('answers a canonical URL of a precomputed route that no other route can take', () => {
    const matcher = new EarlyRouteMatcher([route('/api/admin/payroll', 'admin'), route('/api/hr/payroll', 'hr')], PATH);
    expect(matcher.match('/api/admin/payroll', {})).toEqual({ target: 'admin', params: {} });
    expect(matcher.match('/api/hr/payroll', {})).toEqual({ target: 'hr', params: {} });
    expect(matcher.match('/payroll', {})).toBeUndefined();
    expect(matcher.match('/api/payroll', {})).toBeUndefined();
    expect(matcher.match('/api/admin/payroll/', {})).toBeUndefined();
  });

  it('leaves a URL to Nest when another route might take it (order, specificity, wildcards)', () => {
    const shadowed = new EarlyRouteMatcher([route('/items/:id'), route('/items/special', 'special')], PATH);
    expect(shadowed.match('/items/special', {})).toBeUndefined();
    const param = new EarlyRouteMatcher([route('/items/:id', 'item'), route('/items/special')], PATH);
    expect(param.match('/items/special', {})).toBeUndefined();
    expect(param.match('/items/42', {})).toEqual({ target: 'item', params: { id: '42' } });
    const wildcard = new EarlyRouteMatcher([route('/items/:id', 'item'), route('/items/*rest')], PATH);
    expect(wildcard.match('/items/42', {})).toBeUndefined();
  });

  it('serves a header version only to requests of exactly that version, with no unconstrained rival', () => {
    const matcher = new EarlyRouteMatcher([route('/report', 'v1', '1'), route('/report', 'v2', '2')], HEADER);
    expect(matcher.match('/report', { 'x-api-version': '1' })?.target).toBe('v1');
    expect(matcher.match('/report', { 'x-api-version': '2' })?.target).toBe('v2');
    expect(matcher.match('/report', { 'x-api-version': '3' })).toBeUndefined();
    expect(matcher.match('/report', {})).toBeUndefined();
    const withNeutral = new EarlyRouteMatcher([route('/report', 'v1', '1'), route('/report', 'any', VERSION_NEUTRAL, true)], HEADER);
    expect(withNeutral.match('/report', { 'x-api-version': '1' })).toBeUndefined();
    expect(withNeutral.match('/report', {})?.target).toBe('any');
  });

  it('serves a rival that the version selects only at its own canonical URL, with its own params', () => {
    const matcher = new EarlyRouteMatcher([route('/report', 'static', '1'), route('/:name', 'named', '2')], HEADER);
    expect(matcher.match('/report', { 'x-api-version': '2' })).toEqual({ target: 'named', params: { name: 'report' } });
    expect(matcher.match('/report', { 'x-api-version': '1' })).toEqual({ target: 'static', params: {} });
    const loose = new EarlyRouteMatcher([route('/report', 'static', '1'), route('/REPORT', 'upper', '2')], HEADER);
    expect(loose.match('/report', { 'x-api-version': '2' })).toBeUndefined();
  });

  it('reads media-type versions, and never decides custom versioning', () => {
    const media = new EarlyRouteMatcher([route('/report', 'v2', '2')], { type: 'media-type', key: 'v=' });
    expect(media.match('/report', { accept: 'text/html, application/json;v=2' })?.target).toBe('v2');
    expect(media.match('/report', { accept: 'application/json' })).toBeUndefined();
    const custom = new EarlyRouteMatcher([route('/report', 'v2', '2')], { type: 'custom', extract: () => '2' });
    expect(custom.match('/report', {})).toBeUndefined();
  });
});

describe('EarlyRouteMatcher, more variants', () => {
  it('gives the params of the route the version selects when two param routes match', () => {
    const matcher = new EarlyRouteMatcher([route('/:a', 'A', '1'), route('/:b', 'B', '2')], HEADER);
    expect(matcher.match('/x', { 'x-api-version': '1' })).toEqual({ target: 'A', params: { a: 'x' } });
    expect(matcher.match('/x', { 'x-api-version': '2' })).toEqual({ target: 'B', params: { b: 'x' } });
  });

  it('never answers for a precomputed route it cannot match strictly', () => {
    const matcher = new EarlyRouteMatcher([route('/files/*path', 'files')], PATH);
    expect(matcher.match('/files/a', {})).toBeUndefined();
  });

  it('a request without a version goes to the one neutral route: unversioned, or VERSION_NEUTRAL among versions', () => {
    const unversioned = new EarlyRouteMatcher([route('/report', 'v1', '1', false), route('/report', 'plain')], HEADER);
    expect(unversioned.match('/report', {})?.target).toBe('plain');
    const listed = new EarlyRouteMatcher([route('/report', 'v1', '1', false), route('/report', 'neutral', VERSION_NEUTRAL, false)], HEADER);
    expect(listed.match('/report', {})?.target).toBe('neutral');
    expect(listed.match('/report', { 'x-api-version': '1' })?.target).toBe('v1');
    const twoNeutral = new EarlyRouteMatcher([route('/report', 'a'), route('/report', 'b', VERSION_NEUTRAL, false)], HEADER);
    expect(twoNeutral.match('/report', {})).toBeUndefined();
  });

  it('a precomputed param route next to an unrelated route is answered with its params', () => {
    const matcher = new EarlyRouteMatcher([route('/items/:id', 'item'), route('/other/:id')], PATH);
    expect(matcher.match('/items/a%20b', {})).toEqual({ target: 'item', params: { id: 'a b' } });
    expect(matcher.match('/other/1', {})).toBeUndefined();
  });
});

describe('EarlyRouteMatcher, routes elsewhere in the app', () => {
  it('a wildcard route on another path does not stop the early answers', () => {
    const matcher = new EarlyRouteMatcher([route('/items/:id', 'item'), route('/files/*path')], PATH);
    expect(matcher.match('/items/42', {})).toEqual({ target: 'item', params: { id: '42' } });
  });

  it('answers each of two precomputed param routes on different paths with its own params', () => {
    const matcher = new EarlyRouteMatcher([route('/items/:id', 'item'), route('/stores/:store', 'store')], PATH);
    expect(matcher.match('/items/1', {})).toEqual({ target: 'item', params: { id: '1' } });
    expect(matcher.match('/stores/7', {})).toEqual({ target: 'store', params: { store: '7' } });
  });

  it('answers URI-versioned routes (each version is its own path, none unconstrained)', () => {
    const matcher = new EarlyRouteMatcher([route('/v1/report', 'v1', '1', false), route('/v2/report', 'v2', '2', false)], PATH);
    expect(matcher.match('/v1/report', {})).toEqual({ target: 'v1', params: {} });
    expect(matcher.match('/v2/report', {})).toEqual({ target: 'v2', params: {} });
  });

  it('leaves a URL to Nest when two routes of the requested version can take it (the first registered wins there)', () => {
    const matcher = new EarlyRouteMatcher([route('/report', 'static', '1'), route('/:name', 'named', '1')], HEADER);
    expect(matcher.match('/report', { 'x-api-version': '1' })).toBeUndefined();
    expect(matcher.match('/other', { 'x-api-version': '1' })).toEqual({ target: 'named', params: { name: 'other' } });
  });
});
