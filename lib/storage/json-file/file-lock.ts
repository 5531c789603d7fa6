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
  private held?: Promise<Release | undefined>;
  /** `held` is a wait for the lock (acquire), not one attempt (tryAcquire). */
  private waiting = false;
  /** proper-lockfile found the lock taken over (this process stalled for longer than staleMs). */
  private lost = false;

  constructor(
    private readonly lockPath: string,
    private readonly staleMs: number,
    private readonly onWait: () => void,
    private readonly onCompromised: (error: Error) => void,
  ) {}

  /** Waits until this process holds the lock (re-entrant); rejects when it cannot be taken at all. */
  async acquire(): Promise<void> {
    if (!this.held) {
      this.waiting = true;
      this.held = this.take(true).finally(() => (this.waiting = false));
    }
    this.depth++;
    try {
      await this.held;
    } catch (error) {
      if (--this.depth === 0) this.held = undefined;
      throw error;
    }
  }

  /**
   * Takes the lock if no live process holds it, without waiting: true when
   * this process holds it (again), false when another one does; rejects when
   * it cannot be taken at all (a read-only directory).
   */
  async tryAcquire(): Promise<boolean> {
    // This process is waiting for it already: another process holds it
    if (this.held && this.waiting) return false;
    this.held ??= this.take(false);
    const held = this.held;
    this.depth++;
    let release: Release | undefined;
    try {
      release = await held;
    } catch (error) {
      if (--this.depth === 0 && this.held === held) this.held = undefined;
      throw error;
    }
    if (release) return true;
    if (--this.depth === 0 && this.held === held) this.held = undefined;
    return false;
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

  private async take(wait: boolean): Promise<Release | undefined> {
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
        if (!wait) return undefined;
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
