import { describe, expect, it, jest } from '@jest/globals';
import { backoffMs, retry, withTimeout } from './retry';

describe('backoffMs', () => {
  it('starts at the base delay and doubles with each attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffMs(100, attempt))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the maximum', () => {
    expect(backoffMs(100, 10, 1000)).toBe(1000);
    expect(backoffMs(100, 3, 1000)).toBe(800);
  });
});

describe('retry', () => {
  /** Fails `failures` times, then answers; records each wait instead of sleeping. */
  function flaky(failures: number) {
    const waits: number[] = [];
    let attempts = 0;
    const attempt = async () => {
      attempts++;
      if (attempts <= failures) throw new Error(`failure ${attempts}`);
      return 'ok';
    };
    const sleep = async (ms: number) => void waits.push(ms);
    return { attempt, sleep, waits, attempts: () => attempts };
  }

  it('waits a doubling delay between tries until an attempt succeeds', async () => {
    const run = flaky(3);
    await expect(retry(run.attempt, { retries: 3, delayMs: 50, sleep: run.sleep })).resolves.toBe('ok');
    expect(run.waits).toEqual([50, 100, 200]);
    expect(run.attempts()).toBe(4);
  });

  it('tries retries + 1 times at most, then throws the last error', async () => {
    const run = flaky(10);
    await expect(retry(run.attempt, { retries: 2, delayMs: 10, sleep: run.sleep })).rejects.toThrow('failure 3');
    expect(run.attempts()).toBe(3);
    expect(run.waits).toEqual([10, 20]);
  });

  it('with no retries, tries once and does not wait', async () => {
    const run = flaky(1);
    await expect(retry(run.attempt, { retries: 0, delayMs: 10, sleep: run.sleep })).rejects.toThrow('failure 1');
    expect(run.waits).toEqual([]);
  });

  it('stops retrying once told to give up (shutting down)', async () => {
    const run = flaky(10);
    await expect(retry(run.attempt, { retries: 5, delayMs: 10, sleep: run.sleep, giveUp: () => run.attempts() >= 2 })).rejects.toThrow('failure 2');
    expect(run.attempts()).toBe(2);
  });

  it('reports each retry with its number and delay before waiting', async () => {
    const run = flaky(2);
    const reported: Array<[number, number]> = [];
    await retry(run.attempt, { retries: 2, delayMs: 5, sleep: run.sleep, onRetry: (_, number, delay) => reported.push([number, delay]) });
    expect(reported).toEqual([
      [1, 5],
      [2, 10],
    ]);
  });
});

describe('withTimeout', () => {
  it('rejects a promise that takes longer than the limit, naming it', async () => {
    await expect(withTimeout(new Promise(() => undefined), 5)).rejects.toThrow('timed out after 5ms');
  });

  it('passes a faster result through, and no limit means none', async () => {
    await expect(withTimeout(Promise.resolve(1), 1000)).resolves.toBe(1);
    await expect(withTimeout(Promise.resolve(2), undefined)).resolves.toBe(2);
  });
});

describe('withTimeout, limits', () => {
  it('without a limit, waits as long as the work takes', async () => {
    const slow = new Promise((resolve) => setTimeout(() => resolve('late'), 30));
    await expect(withTimeout(slow, undefined)).resolves.toBe('late');
  });

  it('leaves no timer behind once the work answered (it would keep the process alive)', async () => {
    jest.useFakeTimers();
    try {
      await expect(withTimeout(Promise.resolve(1), 60_000)).resolves.toBe(1);
      expect(jest.getTimerCount()).toBe(0);
      await expect(withTimeout(Promise.reject(new Error('failed first')), 60_000)).rejects.toThrow('failed first');
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('retry, on the clock', () => {
  it('waits with a real timer when no sleep is given', async () => {
    let attempts = 0;
    const result = retry(async () => {
      if (++attempts < 2) throw new Error('once');
      return 'ok';
    }, { retries: 1, delayMs: 1 });
    await expect(result).resolves.toBe('ok');
    expect(attempts).toBe(2);
  });
});
