import { describe, expect, it } from '@jest/globals';
import { nextRetryDelay, writeAdvice, WriteRetry } from './write-retry';

describe('nextRetryDelay', () => {
  it('starts at 1 s and doubles up to 30 s', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let i = 0; i < 7; i++) delays.push((delay = nextRetryDelay(delay)));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

describe('writeAdvice', () => {
  it('gives the advice that fits the error', () => {
    expect(writeAdvice('ENOSPC')).toContain('free disk space');
    expect(writeAdvice('EROFS')).toContain('read-only');
    expect(writeAdvice('EACCES')).toContain('permissions');
    expect(writeAdvice('EBUSY')).toContain('mount');
    expect(writeAdvice('EBUSY')).not.toContain('disk space');
    expect(writeAdvice(undefined)).toContain('check the disk');
  });
});

describe('WriteRetry', () => {
  it('logs each distinct failure once, then once when writing works again', () => {
    const lines: string[] = [];
    const retry = new WriteRetry('cache.json', { error: (line) => lines.push(`E ${line}`), log: (line) => lines.push(`L ${line}`) }, () => undefined);
    const enospc = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    retry.failed(enospc);
    expect(retry.scheduledDelayMs).toBe(1000);
    // Every result of a run failing at once is one failure: the retry is not pushed back
    retry.failed(enospc);
    expect(retry.scheduledDelayMs).toBe(1000);
    expect(retry.failing).toBe(true);
    retry.failed(Object.assign(new Error('read-only'), { code: 'EROFS' }));
    retry.succeeded();
    retry.succeeded();
    retry.stop();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^E Cannot write cache\.json: no space left\. .*free disk space/);
    expect(lines[1]).toMatch(/read-only/);
    expect(lines[2]).toBe('L Writing cache.json works again');
  });
});

describe('WriteRetry backoff', () => {
  it('doubles the delay at each failed retry, and starts over after a success', async () => {
    const delays: Array<number | undefined> = [];
    let retry!: WriteRetry;
    const failure = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    await new Promise<void>((done) => {
      retry = new WriteRetry('cache.json', { error: () => undefined, log: () => undefined }, () => {
        retry.failed(failure);
        delays.push(retry.scheduledDelayMs);
        if (delays.length === 2) done();
      });
      retry.failed(failure);
      delays.push(retry.scheduledDelayMs);
    });
    expect(delays).toEqual([1000, 2000]);
    retry.succeeded();
    expect(retry.scheduledDelayMs).toBeUndefined();
    retry.failed(failure);
    expect(retry.scheduledDelayMs).toBe(1000);
    retry.stop();
  });
});
