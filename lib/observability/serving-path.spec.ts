import { describe, expect, it } from '@jest/globals';
import { servingPath, type ServingFacts } from './serving-path';

const plain: ServingFacts = { earlyHits: true, eligible: true, sendsPrebuiltBody: true, guarded: false, hostBound: false, versioned: false };

describe('servingPath', () => {
  it('is early only when earlyHits is on and the handler is eligible', () => {
    expect(servingPath(plain).path).toBe('early');
    expect(servingPath({ ...plain, earlyHits: false })).toEqual({
      path: 'interceptor',
      why: 'earlyHits is off (this handler could use it: nothing else must run on a hit)',
    });
  });

  it('names every reason a handler is not eligible', () => {
    const status = servingPath({ ...plain, eligible: false, guarded: true, sendsPrebuiltBody: false, hostBound: true, versioned: true });
    expect(status.path).toBe('interceptor');
    expect(status.why).toBe(
      'not eligible for earlyHits: guards must run; other interceptors or a response override (@Render, @Redirect) must run; ' +
        'its controller is bound to a host; the app uses versioning',
    );
    expect(servingPath({ ...plain, earlyHits: false, eligible: false, guarded: true }).why).toBe('earlyHits is off; guards must run');
  });
});
