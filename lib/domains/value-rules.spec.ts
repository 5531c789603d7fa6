import { describe, expect, it } from '@jest/globals';
import { DefaultValuePipe, ParseBoolPipe, ParseEnumPipe, ParseIntPipe } from '@nestjs/common';
import { allows, ruleFromPipes } from './value-rules';

enum Channel {
  Web = 'web',
  Shop = 'shop',
}
const ON = "@Query('on')";

describe('ruleFromPipes', () => {
  it('lists the values of ParseEnumPipe, and absent when the pipe is optional', () => {
    expect(ruleFromPipes([new ParseEnumPipe(Channel)], ON)).toEqual({ values: ['web', 'shop'], origin: "ParseEnumPipe on @Query('on')" });
    expect(ruleFromPipes([new ParseEnumPipe(Channel, { optional: true })], ON).values).toStrictEqual(['web', 'shop', undefined]);
  });

  it('lists true and false for ParseBoolPipe, given as a class or an instance, and absent only when optional', () => {
    expect(ruleFromPipes([ParseBoolPipe], ON)).toEqual({ values: ['true', 'false'], origin: "ParseBoolPipe on @Query('on')" });
    expect(ruleFromPipes([new ParseBoolPipe()], ON).values).toStrictEqual(['true', 'false']);
    expect(ruleFromPipes([new ParseBoolPipe({ optional: true })], ON).values).toStrictEqual(['true', 'false', undefined]);
  });

  it('checks integers for ParseIntPipe (it cannot list them), absent only when optional', () => {
    for (const pipe of [ParseIntPipe, new ParseIntPipe()]) {
      const rule = ruleFromPipes([pipe], ON);
      expect(rule).toMatchObject({ origin: "ParseIntPipe on @Query('on')", allowed: 'integers', problem: 'has ParseIntPipe, which accepts any integer' });
      expect(rule.values).toBeUndefined();
      expect([allows(rule, '-12'), allows(rule, '1.5'), allows(rule, undefined)]).toEqual([true, false, false]);
    }
    const optional = ruleFromPipes([new ParseIntPipe({ optional: true })], ON);
    expect(optional.allowed).toBe('integers or absent');
    expect([allows(optional, undefined), allows(optional, 'x')]).toEqual([true, false]);
  });

  it('learns nothing from other pipes, and reads the first pipe that fixes the values', () => {
    expect(ruleFromPipes([new DefaultValuePipe(1)], ON)).toEqual({ origin: ON, problem: 'has no pipe that fixes its values' });
    expect(ruleFromPipes([], ON)).toEqual({ origin: ON, problem: 'has no pipe that fixes its values' });
    expect(ruleFromPipes([new DefaultValuePipe('web'), new ParseEnumPipe(Channel)], ON).values).toStrictEqual(['web', 'shop']);
  });
});
