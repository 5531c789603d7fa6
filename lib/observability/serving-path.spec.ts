import { describe, expect, it } from '@jest/globals';
import { servingPath } from './serving-path';

const eligible = { early: { status: 200, headers: [] }, sendsPrebuiltBody: true };

describe('servingPath', () => {
  it('is early only when earlyHits is on and discovery gave the handler an early answer', () => {
    expect(servingPath(eligible, true).path).toBe('early');
    expect(servingPath(eligible, undefined)).toEqual({
      path: 'interceptor',
      why: 'earlyHits is off (this handler could use it: nothing else must run on a hit)',
    });
  });

  it('says why a handler without an early answer is served by the interceptor', () => {
    expect(servingPath({ sendsPrebuiltBody: false }, true)).toEqual({
      path: 'interceptor',
      why: 'not eligible for earlyHits: other interceptors or a response override (@Render, @Redirect) must run',
    });
    expect(servingPath({ sendsPrebuiltBody: true }, true).why).toMatch(/^not eligible for earlyHits: guards, a host/);
    expect(servingPath({ sendsPrebuiltBody: true }, false).why).toMatch(/^earlyHits is off; guards/);
  });
});
