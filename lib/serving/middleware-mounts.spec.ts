import { RequestMethod } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { mountsMatching, type MiddlewareMount } from './middleware-mounts';

const get = (path: string): MiddlewareMount => ({ method: RequestMethod.GET, path });

describe('mountsMatching', () => {
  it.each([
    ['/admin', '/admin/payroll', true],
    ['/admin', '/administrator', false],
    ['/secret/', '/secret', true],
    ['/secret/', '/secret/x', true],
    ['/secret/$', '/secret', true],
    ['/admin$', '/admin', true],
    ['/admin$', '/admin/payroll', false],
    ['/', '/anything/at/all', true],
    ['/*', '/reports', true],
    ['/(.*)', '/reports', true],
    ['/reports/*', '/reports/daily', true],
    ['/reports/{*path}', '/reports/daily', true],
    ['/stores/:id/report', '/stores/7/report', true],
    ['/stores/:id/report$', '/stores/7/other', false],
    ['/ADMIN', '/admin/x', true],
    ['/api/v1/reports', '/api/v2/reports', false],
  ])('%s applies to GET %s: %p', (mount, path, expected) => {
    expect(mountsMatching([get(mount)], path).length > 0).toBe(expected);
  });

  it('counts ALL, GET and HEAD mounts, not other methods', () => {
    const mounts = [RequestMethod.POST, RequestMethod.ALL, RequestMethod.HEAD, RequestMethod.DELETE, RequestMethod.GET].map(
      (method) => ({ method, path: '/a' }),
    );
    expect(mountsMatching(mounts, '/a').map((mount) => mount.method)).toEqual([RequestMethod.ALL, RequestMethod.HEAD, RequestMethod.GET]);
  });

  it('counts a mount with no method of its own (a string forRoutes(), -1) or one it does not know, so the middleware is never skipped', () => {
    const mounts = [-1, 99].map((method) => ({ method: method as RequestMethod, path: '/a' }));
    expect(mountsMatching(mounts, '/a')).toHaveLength(2);
  });

  it('assumes an unreadable pattern matches', () => {
    expect(mountsMatching([get('/a/(unclosed')], '/b')).toHaveLength(1);
  });
});
