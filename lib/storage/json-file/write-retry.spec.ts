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
    retry.failed(enospc);
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
