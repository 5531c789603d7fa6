import { RequestMethod } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { servingPath, type RouteFacts } from './serving-path';

const bare: RouteFacts = { guards: 0, otherInterceptors: 0, responseOverride: false, versionOutsidePath: false, host: false, middleware: [] };

describe('servingPath', () => {
  it('serves a bare route early with true and auto, never with false', () => {
    expect(servingPath('auto', bare)).toEqual({ early: true });
    expect(servingPath(true, bare)).toEqual({ early: true });
    expect(servingPath(false, bare)).toEqual({ early: false, reason: 'earlyHits is off' });
  });

  it.each([
    [{ guards: 1 }, '1 guard(s) must run'],
    [{ otherInterceptors: 2 }, '2 interceptor(s) must run'],
    [{ responseOverride: true }, '@Render/@Redirect/@Sse shape the response'],
    [{ host: true }, 'the controller is bound to a host'],
    [{ versionOutsidePath: true }, 'its version is read from the request, not the path'],
  ] as Array<[Partial<RouteFacts>, string]>)('%p keeps hits on the interceptor, with true and auto', (facts, reason) => {
    for (const setting of [true, 'auto'] as const) {
      expect(servingPath(setting, { ...bare, ...facts })).toEqual({ early: false, reason });
    }
  });

  it('lets matching module middleware run under auto; true skips it, as documented', () => {
    const middleware = [
      { method: RequestMethod.ALL, path: '/admin' },
      { method: RequestMethod.GET, path: '/admin' },
      { method: RequestMethod.GET, path: '/api/{*path}' },
    ];
    expect(servingPath('auto', { ...bare, middleware })).toEqual({
      early: false,
      reason: "middleware bound in a module's configure() applies (mounted at /admin, /api/{*path})",
    });
    expect(servingPath(true, { ...bare, middleware })).toEqual({ early: true });
  });
});
