import { describe, expect, it } from '@jest/globals';
import { servingPath } from './serving-path';

describe('servingPath', () => {
  it('is early when discovery serves the route early', () => {
    expect(servingPath({ serving: { early: true } })).toEqual({ path: 'early', why: "nothing else must run on a hit: answered before Nest's router" });
  });

  it("gives discovery's reason when the interceptor serves the route", () => {
    expect(servingPath({ serving: { early: false, reason: '1 guard(s) must run' } })).toEqual({ path: 'interceptor', why: '1 guard(s) must run' });
    expect(servingPath({ serving: { early: false } }).why).toBe("Nest's pipeline must run on a hit");
  });
});
