import { describe, expect, it } from '@jest/globals';
import { MemoryLogger } from './helpers/test-app';
import { waitUntil } from './helpers/waits';

describe('test waits', () => {
  it('MemoryLogger.waitFor fails within its timeout, saying what it waited for and the last lines', async () => {
    const logger = new MemoryLogger();
    logger.log('first line', 'Precompute');
    logger.warn('second line', 'Precompute');
    await expect(logger.waitFor('never logged', 50)).rejects.toThrow(
      /waited 50 ms for a log line containing "never logged"; last lines:\n {2}\| LOG \[Precompute\] first line\n {2}\| WARN \[Precompute\] second line/,
    );
    const later = logger.waitFor('arrives', 1000);
    logger.log('it arrives', 'Precompute');
    await expect(later).resolves.toBe('LOG [Precompute] it arrives');
  });

  it('waitUntil fails within its timeout, saying what it waited for', async () => {
    await expect(waitUntil(() => undefined, 'a value that never comes', 50, 10)).rejects.toThrow('waited 50 ms for a value that never comes');
    let calls = 0;
    await expect(waitUntil(() => (++calls === 3 ? 'done' : undefined), 'the third call', 1000, 1)).resolves.toBe('done');
  });
});
