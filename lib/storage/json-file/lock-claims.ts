import type { Claim } from '../precompute-store.interface';
import type { FileLock } from './file-lock';

/** How long "another process holds the lock" is believed before asking the disk again. */
const BUSY_ANSWER_MS = 200;
/** The lock is kept this long after the last claim is released, so back-to-back claims do not retake it. */
const IDLE_RELEASE_MS = 300;

export interface LockClaimsEvents {
  /** This process just took the lock: pick up what others stored while they held it. */
  acquired(): Promise<void>;
  /** The lock cannot be taken at all (a read-only directory): claims are granted, results stay in memory. */
  unlockable(error: Error): void;
  released(): Promise<void>;
}

/**
 * `claim()` of the file store: the file lock is the claim on every key. One
 * hold on it while any claim of this process is outstanding, released a short
 * idle time after the last release, or at `flush()`. While another live
 * process holds it, claims are refused (that answer is cached for a moment so
 * thousands of deferred keys do not each hit the disk).
 */
export class LockClaims {
  private hold?: Promise<boolean>;
  private lockHeld = false;
  private claims = 0;
  private busyUntil = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly lock: FileLock,
    private readonly events: LockClaimsEvents,
  ) {}

  async claim(): Promise<Claim | undefined> {
    if (!this.hold) {
      if (Date.now() < this.busyUntil) return undefined;
      this.hold = this.take();
    }
    const hold = this.hold;
    this.claims++;
    clearTimeout(this.idleTimer);
    if (!(await hold)) {
      this.claims--;
      if (this.hold === hold) this.hold = undefined;
      return undefined;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        if (--this.claims > 0) return;
        this.idleTimer = setTimeout(() => void this.drop(), IDLE_RELEASE_MS);
        this.idleTimer.unref();
      },
    };
  }

  /** Lets go of the lock unless a claim is outstanding (`force`: at close, regardless). */
  async drop(force = false): Promise<void> {
    clearTimeout(this.idleTimer);
    if (force) this.claims = 0;
    if (this.claims > 0 || !this.hold) return;
    this.hold = undefined;
    if (!this.lockHeld) return;
    this.lockHeld = false;
    await this.events.released();
  }

  /** True when this process holds the lock, or cannot lock at all; false when another process holds it. */
  private async take(): Promise<boolean> {
    try {
      if (await this.lock.tryAcquire()) {
        this.lockHeld = true;
        await this.events.acquired();
        return true;
      }
      this.busyUntil = Date.now() + BUSY_ANSWER_MS;
      return false;
    } catch (error) {
      this.events.unlockable(error as Error);
      return true;
    }
  }
}
