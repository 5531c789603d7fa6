import { afterEach, describe, expect, it, jest } from '@jest/globals';
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

describe('writeAdvice, every code', () => {
  it.each([
    ['ENOSPC', 'free disk space (or raise the quota)'],
    ['EDQUOT', 'free disk space (or raise the quota)'],
    ['EROFS', 'the filesystem is read-only: mount it read-write, or set cacheFile to a writable path'],
    ['EACCES', "fix the permissions of the cache file and its directory (the process's user must be able to create files there)"],
    ['EPERM', "fix the permissions of the cache file and its directory (the process's user must be able to create files there)"],
    ['ENOENT', "the cache file's directory is missing or is not a directory: create it, or fix cacheFile"],
    ['ENOTDIR', "the cache file's directory is missing or is not a directory: create it, or fix cacheFile"],
    ['EBUSY', 'the file is a mount point that could not be written in place either: check that the mount is writable'],
    ['EXDEV', 'the file is a mount point that could not be written in place either: check that the mount is writable'],
    ['EIO', 'check the disk and the permissions of the cache file and its directory'],
  ])('%s: %s', (code, advice) => {
    expect(writeAdvice(code)).toBe(advice);
  });
});

describe('WriteRetry, messages and stop', () => {
  it('says how often it retries, and names an error without a code by its message', () => {
    const lines: string[] = [];
    const retry = new WriteRetry('cache.json', { error: (line) => lines.push(line), log: (line) => lines.push(line) }, () => undefined);
    retry.failed(new Error('disk on fire'));
    retry.failed(new Error('disk on fire'));
    retry.failed(new Error('disk still on fire'));
    retry.stop();
    expect(lines).toEqual([
      'Cannot write cache.json: disk on fire. Serving from memory; nothing on disk was changed. Retrying every 30s at most; check the disk and the permissions of the cache file and its directory.',
      'Cannot write cache.json: disk still on fire. Serving from memory; nothing on disk was changed. Retrying every 30s at most; check the disk and the permissions of the cache file and its directory.',
    ]);
  });

  it('says nothing when a write works and none failed before', () => {
    const lines: string[] = [];
    const retry = new WriteRetry('cache.json', { error: (line) => lines.push(line), log: (line) => lines.push(line) }, () => undefined);
    retry.succeeded();
    expect(lines).toEqual([]);
    expect(retry.failing).toBe(false);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('stop cancels the scheduled retry', () => {
    jest.useFakeTimers();
    let retried = 0;
    const retry = new WriteRetry('cache.json', { error: () => undefined, log: () => undefined }, () => retried++);
    retry.failed(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
    expect(retry.scheduledDelayMs).toBe(1000);
    retry.stop();
    expect(retry.scheduledDelayMs).toBeUndefined();
    jest.advanceTimersByTime(60_000);
    expect(retried).toBe(0);
  });

  it('succeeded cancels the scheduled retry too', () => {
    jest.useFakeTimers();
    let retried = 0;
    const retry = new WriteRetry('cache.json', { error: () => undefined, log: () => undefined }, () => retried++);
    retry.failed(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
    retry.succeeded();
    expect(retry.failing).toBe(false);
    jest.advanceTimersByTime(60_000);
    expect(retried).toBe(0);
  });

  it('retries once the delay has passed, not before', () => {
    jest.useFakeTimers();
    let retried = 0;
    const retry = new WriteRetry('cache.json', { error: () => undefined, log: () => undefined }, () => retried++);
    retry.failed(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
    jest.advanceTimersByTime(999);
    expect(retried).toBe(0);
    jest.advanceTimersByTime(1);
    expect(retried).toBe(1);
    expect(retry.scheduledDelayMs).toBeUndefined();
    expect(retry.failing).toBe(true);
  });
});
