import { describe, expect, it } from '@jest/globals';
import type { ModuleRef } from '@nestjs/core';
import { evaluateCombinations, evaluateParams } from './domain-functions';

/** Domain functions only pass it on; these tests read nothing from it. */
const moduleRef = {} as ModuleRef;
enum Channel {
  Web = 'web',
  Shop = 'shop',
}

describe('evaluateParams', () => {
  it('runs functions (sync and async, with the ModuleRef) next to arrays and enum objects, keeping declaration order', async () => {
    let received: unknown;
    const { explicit, failures } = await evaluateParams(
      'C.get',
      {
        slow: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return [1, 2];
        },
        store: (ref) => {
          received = ref;
          return ['101', null, undefined] as never;
        },
        list: ['a', true, undefined],
        channel: Channel,
      },
      moduleRef,
    );
    expect(failures).toEqual([]);
    expect(received).toBe(moduleRef);
    expect(Object.keys(explicit)).toEqual(['slow', 'store', 'list', 'channel']);
    expect(explicit.slow).toMatchObject({ values: ['1', '2'], dynamic: true });
    expect(explicit.store.values).toEqual(['101', undefined]);
    expect(explicit.list).toMatchObject({ values: ['a', 'true', undefined], dynamic: false });
    expect(explicit.channel.values).toEqual(['web', 'shop']);
  });

  it.each([
    [() => { throw new TypeError('db down'); }, 'threw TypeError: db down'],
    [async () => Promise.reject(new Error('timeout')), 'threw Error: timeout'],
    [() => 'oops', 'returned string "oops" instead of an array of values'],
    [() => new Set(['a']), 'returned an object (Set) instead of an array of values'],
    [() => [1, { id: 2 }], 'returned an object (Object) at index 1'],
    [() => [{ id: 1 }, 'a'], 'returned an object (Object) at index 0;'],
    [() => [Object.create(null)], 'returned an object (Object) at index 0;'],
    [() => ['a', Number.NaN], 'returned number NaN at index 1; values must be strings, numbers, booleans or undefined'],
    [() => [Number.POSITIVE_INFINITY], 'returned number Infinity at index 0;'],
    [() => 5, 'returned number 5 instead of an array of values'],
    [() => true, 'returned boolean true instead of an array of values'],
    [() => null, 'returned null instead of an array of values'],
    [() => undefined, 'returned undefined instead of an array of values'],
    [() => () => ['a'], 'returned a function instead of an array of values'],
  ])('a function that fails makes its parameter unknown, with a message naming handler and parameter (%#)', async (domain, text) => {
    const { explicit, failures } = await evaluateParams('C.get', { store: domain as never, other: ['x'] }, moduleRef);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('C.get: the domain function of parameter "store" (@Precomputed({ params: { store } }))');
    expect(failures[0]).toContain(text);
    expect(explicit.store).toMatchObject({ unknown: true, values: [], dynamic: true });
    expect(explicit.other.values).toEqual(['x']);
  });
});

describe('evaluateCombinations', () => {
  it('turns objects into raw values (null is absent)', async () => {
    const result = await evaluateCombinations('C.get', async () => [{ a: 1, b: true, c: null }], moduleRef);
    expect(result).toEqual({ rows: [{ a: '1', b: 'true', c: undefined }] });
  });

  it.each([
    [() => { throw new Error('db down'); }, 'threw Error: db down'],
    [() => ({ a: 1 }), 'returned an object (Object) instead of an array of objects'],
    [() => ['a'], 'returned string "a" at index 0 instead of an object'],
    [() => [{ a: [1] }], 'returned an array for "a" at index 0'],
    [() => [{ a: 1 }, null], 'returned null at index 1 instead of an object'],
    [() => [['a', 1]], 'returned an array at index 0 instead of an object'],
    [() => [{ a: Number.NaN }], 'returned number NaN for "a" at index 0; values must be strings, numbers, booleans or undefined'],
  ])('fails with a message naming the handler (%#)', async (combinations, text) => {
    const result = await evaluateCombinations('C.get', combinations as never, moduleRef);
    expect(result).toEqual({ failure: expect.stringContaining('C.get: the function of @Precomputed({ combinations })') });
    expect((result as { failure: string }).failure).toContain(text);
  });
});
