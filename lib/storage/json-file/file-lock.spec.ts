import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLock } from './file-lock';

describe('FileLock', () => {
  it('stays held across proper-lockfile refreshes, is re-entrant, and is released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'precompute-lock-'));
    const lockPath = join(dir, 'cache.json.lock');
    const compromised: Error[] = [];
    let onCompromised = () => undefined as void;
    const lock = new FileLock(lockPath, 2000, () => undefined, (error) => {
      compromised.push(error);
      onCompromised();
    });
    await lock.acquire();
    // Re-entrant: a second hold in this process neither waits nor releases the first
    await lock.acquire();
    await expect(lock.tryAcquire()).resolves.toBe(true);
    await lock.release();
    await lock.release();
    // Another holder (a second instance stands for another process) does not wait: it is told no
    const other = new FileLock(lockPath, 2000, () => undefined, () => undefined);
    await expect(other.tryAcquire()).resolves.toBe(false);
    expect(readFileSync(join(lockPath, 'owner'), 'utf8')).toBe(`${process.pid} ${hostname()}`);
    // proper-lockfile refreshes the lock's mtime every second: wait for two refreshes, or for losing it
    await new Promise<void>((resolve) => {
      onCompromised = resolve;
      let refreshes = 0;
      const watcher = watch(dir, (_event, name) => {
        if (name === 'cache.json.lock' && ++refreshes >= 2) {
          watcher.close();
          resolve();
        }
      });
    });
    expect(compromised).toEqual([]);
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over at once a lock whose owner process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'precompute-lock-'));
    const lockPath = join(dir, 'cache.json.lock');
    const first = new FileLock(lockPath, 10_000, () => undefined, () => undefined);
    await first.acquire();
    // Pretend the holder was another process of this host that died: pid 2^22 + 1 cannot exist on Linux
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(lockPath, 'owner'), `${2 ** 22 + 1} ${hostname()}`);
    let waited = false;
    const second = new FileLock(lockPath, 10_000, () => (waited = true), () => undefined);
    await second.acquire();
    expect(waited).toBe(false);
    expect(readFileSync(join(lockPath, 'owner'), 'utf8')).toBe(`${process.pid} ${hostname()}`);
    await second.release();
    rmSync(dir, { recursive: true, force: true });
  });
});
