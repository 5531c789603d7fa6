import { describe, expect, it } from '@jest/globals';
import { appendEarlyHook, type FastifyHook, type FastifyRouteOptions } from './fastify-early-hook';

const early: FastifyHook = () => undefined;
const auth: FastifyHook = () => undefined;
const audit: FastifyHook = () => undefined;

describe('appendEarlyHook', () => {
  it.each([
    ['no preHandler', undefined, [early]],
    ['one preHandler function', auth, [auth, early]],
    ['an array of preHandlers', [auth, audit], [auth, audit, early]],
  ])('makes the early hook the last preHandler of a GET route with %s', (_, preHandler, expected) => {
    const route: FastifyRouteOptions = { method: 'GET', ...(preHandler ? { preHandler } : {}) };
    appendEarlyHook(route, early);
    expect(route.preHandler).toEqual(expected);
  });

  it('adds it to HEAD routes and to routes of several methods with GET, once (the HEAD route copies the GET route)', () => {
    const head: FastifyRouteOptions = { method: 'HEAD', preHandler: [auth] };
    appendEarlyHook(head, early);
    expect(head.preHandler).toEqual([auth, early]);
    appendEarlyHook(head, early);
    expect(head.preHandler).toEqual([auth, early]);
    const several: FastifyRouteOptions = { method: ['POST', 'GET'] };
    appendEarlyHook(several, early);
    expect(several.preHandler).toEqual([early]);
  });

  it('leaves routes without GET or HEAD alone, and does not change the array it was given', () => {
    const post: FastifyRouteOptions = { method: ['POST', 'PUT'], preHandler: auth };
    appendEarlyHook(post, early);
    expect(post.preHandler).toBe(auth);
    const given = [auth];
    const get: FastifyRouteOptions = { method: 'GET', preHandler: given };
    appendEarlyHook(get, early);
    expect(given).toEqual([auth]);
  });
});
