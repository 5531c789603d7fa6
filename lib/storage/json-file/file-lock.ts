import { lock } from 'proper-lockfile';

type Release = () => Promise<void>;

/**
 * An inter-process lock on the cache file (proper-lockfile: a lock directory
 * whose mtime the holder refreshes; a holder that died stops refreshing it and
 * the lock is taken over after `staleMs`). Re-entrant within the process, so a
 * write made during a locked run does not wait for itself.
 */
export class FileLock {
  private depth = 0;
  private held?: Promise<Release>;

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
    await release?.().catch(() => undefined);
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
        return await lock(this.lockPath, {
          realpath: false,
          lockfilePath: this.lockPath,
          stale: this.staleMs,
          update: Math.max(1000, Math.floor(this.staleMs / 2)),
          retries: 0,
          onCompromised: this.onCompromised,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
        if (!waited) this.onWait();
        waited = true;
        // Polling is the lock's protocol: the holder gives no signal when it lets go
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 150));
      }
    }
  }
}
