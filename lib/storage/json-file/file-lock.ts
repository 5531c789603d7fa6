import { readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';

type Release = () => Promise<void>;

/**
 * An inter-process lock on the cache file (proper-lockfile: a lock directory
 * whose mtime the holder refreshes; a holder that died stops refreshing it and
 * the lock is taken over after `staleMs`). The holder also writes its pid and
 * host into the lock, so a lock left by a process of this host that is gone
 * (killed, crashed) is taken over at once instead of after `staleMs`.
 * Re-entrant within the process, so a write made during a locked run does not
 * wait for itself.
 */
export class FileLock {
  private depth = 0;
  private held?: Promise<Release>;
  /** proper-lockfile found the lock taken over (this process stalled for longer than staleMs). */
  private lost = false;

  constructor(
    private readonly lockPath: string,
    private readonly staleMs: number,
    private readonly onWait: () => void,
    private readonly onCompromised: (error: Error) => void,
  ) {}

  async acquire(): Promise<void> {
    this.held ??= this.take();
    this.depth++;
    try {
      await this.held;
    } catch (error) {
      if (--this.depth === 0) this.held = undefined;
      throw error;
    }
  }

  async release(): Promise<void> {
    if (--this.depth > 0) return;
    const held = this.held;
    this.held = undefined;
    const release = await held;
    if (this.lost) {
      // The lock directory may be someone else's by now: leave it alone
      this.lost = false;
      return;
    }
    // proper-lockfile removes the lock with rmdir: the owner file must go first
    rmSync(join(this.lockPath, 'owner'), { force: true });
    await release?.();
  }

  async withLock<T>(work: () => Promise<T> | T): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      await this.release();
    }
  }

  private async take(): Promise<Release> {
    let waited = false;
    for (;;) {
      try {
        const release = await lock(this.lockPath, {
          realpath: false,
          lockfilePath: this.lockPath,
          stale: this.staleMs,
          update: Math.max(1000, Math.floor(this.staleMs / 2)),
          retries: 0,
          onCompromised: (error) => {
            this.lost = true;
            this.onCompromised(error);
          },
        });
        this.lost = false;
        this.writeOwner();
        return release;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
        if (this.breakIfOwnerIsGone()) continue;
        if (!waited) this.onWait();
        waited = true;
        // Polling is the lock's protocol: the holder gives no signal when it lets go
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 150));
      }
    }
  }

  /**
   * Records who holds the lock. proper-lockfile checks that the lock
   * directory's mtime is the one it set, and a file written inside changes it:
   * the mtime is put back.
   */
  private writeOwner(): void {
    const { atime, mtime } = statSync(this.lockPath);
    writeFileSync(join(this.lockPath, 'owner'), `${process.pid} ${hostname()}`);
    utimesSync(this.lockPath, atime, mtime);
  }

  /** Removes the lock when the process that holds it ran on this host and no longer exists. */
  private breakIfOwnerIsGone(): boolean {
    const owner = readOwner(this.lockPath);
    if (!owner || owner.host !== hostname() || owner.pid === process.pid || isAlive(owner.pid)) return false;
    // Move it aside first: of several waiters, only one can rename it
    const aside = `${this.lockPath}.gone-${process.pid}-${Date.now()}`;
    try {
      renameSync(this.lockPath, aside);
    } catch {
      return false;
    }
    // Another waiter may have replaced the dead lock with its own between the read and the rename
    if (readOwner(aside)?.pid !== owner.pid) {
      try {
        renameSync(aside, this.lockPath);
      } catch {
        rmSync(aside, { recursive: true, force: true });
      }
      return false;
    }
    rmSync(aside, { recursive: true, force: true });
    return true;
  }
}

function readOwner(lockPath: string): { pid: number; host: string } | undefined {
  try {
    const [pid, host] = readFileSync(join(lockPath, 'owner'), 'utf8').split(' ');
    return { pid: Number(pid), host };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
