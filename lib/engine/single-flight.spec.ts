import { describe, expect, it } from '@jest/globals';
import { SingleFlight } from './single-flight';

/** A promise the test resolves by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs the work of a key once for every caller while it is under way', async () => {
    const flights = new SingleFlight<string>();
    const gate = deferred<string>();
    let calls = 0;
    const work = () => (calls++, gate.promise);
    const first = flights.run('k', work);
    const second = flights.run('k', work);
    expect(flights.current('k')).toBe(first);
    gate.resolve('v');
    expect(await first).toBe('v');
    expect(await second).toBe('v');
    expect(calls).toBe(1);
  });

  it('keeps keys apart', async () => {
    const flights = new SingleFlight<string>();
    const results = await Promise.all([flights.run('a', async () => 'A'), flights.run('b', async () => 'B')]);
    expect(results).toEqual(['A', 'B']);
  });

  it('forgets a key once its work settled, so the next caller runs it again', async () => {
    const flights = new SingleFlight<number>();
    let calls = 0;
    await flights.run('k', async () => ++calls);
    expect(flights.current('k')).toBeUndefined();
    expect(await flights.run('k', async () => ++calls)).toBe(2);
  });

  it('forgets a key whose work failed; the callers see the failure', async () => {
    const flights = new SingleFlight<number>();
    const first = flights.run('k', async () => {
      throw new Error('boom');
    });
    await expect(first).rejects.toThrow('boom');
    expect(flights.current('k')).toBeUndefined();
    expect(await flights.run('k', async () => 1)).toBe(1);
  });

  it('runAfter starts its own work once the one under way has settled, never taking its result', async () => {
    const flights = new SingleFlight<string>();
    const gate = deferred<string>();
    const unforced = flights.run('k', () => gate.promise);
    const forced = flights.runAfter('k', async () => 'forced');
    gate.resolve('unforced');
    expect(await unforced).toBe('unforced');
    expect(await forced).toBe('forced');
  });

  it('runAfter registers its work as the flight of the key, so others join it', async () => {
    const flights = new SingleFlight<string>();
    const gate = deferred<string>();
    const forced = flights.runAfter('k', () => gate.promise);
    await Promise.resolve();
    let joinedCalls = 0;
    const joined = flights.run('k', async () => (joinedCalls++, 'other'));
    gate.resolve('forced');
    expect(await forced).toBe('forced');
    expect(await joined).toBe('forced');
    expect(joinedCalls).toBe(0);
  });

  it('share lets outside work stand as the flight: joiners get what it finishes with', async () => {
    const flights = new SingleFlight<string>();
    const finish = flights.share('k');
    let calls = 0;
    const joined = flights.run('k', async () => (calls++, 'own'));
    finish('live');
    expect(await joined).toBe('live');
    expect(calls).toBe(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(flights.current('k')).toBeUndefined();
  });

  it('a settled flight does not end a newer flight of the same key', async () => {
    const flights = new SingleFlight<string>();
    const first = deferred<string>();
    const old = flights.run('k', () => first.promise);
    // A live request's call registered while the old flight is about to settle
    const finish = flights.share('k');
    const newer = flights.current('k');
    first.resolve('old');
    await old;
    await new Promise((resolve) => setImmediate(resolve));
    expect(flights.current('k')).toBe(newer);
    finish('new');
    expect(await newer).toBe('new');
  });
});

describe('SingleFlight.runAfter, ordering', () => {
  it('starts its work only once every flight under way has settled, failed ones included', async () => {
    const flights = new SingleFlight<string>();
    const first = deferred<string>();
    const events: string[] = [];
    const failing = flights.run('k', () => first.promise);
    failing.catch(() => undefined);
    const forced = flights.runAfter('k', async () => (events.push('forced started'), 'forced'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    events.push('first settled');
    first.reject(new Error('boom'));
    expect(await forced).toBe('forced');
    expect(events).toEqual(['first settled', 'forced started']);
  });

  it('runs at once when nothing is under way', async () => {
    const flights = new SingleFlight<number>();
    expect(await flights.runAfter('k', async () => 7)).toBe(7);
    expect(flights.current('k')).toBeUndefined();
  });
});
