import { messages } from '../../precompute.messages';

const FIRST_DELAY_MS = 1000;
export const MAX_RETRY_DELAY_MS = 30_000;

/** The delay before the next attempt: doubles from 1 s up to 30 s. */
export function nextRetryDelay(previousMs: number | undefined): number {
  return previousMs === undefined ? FIRST_DELAY_MS : Math.min(previousMs * 2, MAX_RETRY_DELAY_MS);
}

/** What to do about a write the system refused, by its error code. */
export function writeAdvice(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free disk space (or raise the quota)';
    case 'EROFS':
      return 'the filesystem is read-only: mount it read-write, or set cacheFile to a writable path';
    case 'EACCES':
    case 'EPERM':
      return "fix the permissions of the cache file and its directory (the process's user must be able to create files there)";
    case 'ENOENT':
    case 'ENOTDIR':
      return "the cache file's directory is missing or is not a directory: create it, or fix cacheFile";
    case 'EBUSY':
    case 'EXDEV':
      return 'the file is a mount point that could not be written in place either: check that the mount is writable';
    default:
      return 'check the disk and the permissions of the cache file and its directory';
  }
}

/**
 * Retries a failed write with backoff, and logs each distinct failure once
 * (not every attempt), then once when writing works again.
 */
export class WriteRetry {
  private timer?: NodeJS.Timeout;
  private delayMs?: number;
  private lastFailure?: string;

  constructor(
    private readonly file: string,
    private readonly log: { error(message: string): void; log(message: string): void },
    private readonly retry: () => void,
  ) {}

  /** Reports a failed write; schedules one retry (failures meanwhile, e.g. of each result of a run, join it). */
  failed(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code;
    const failure = code ?? error.message;
    if (this.lastFailure !== failure) {
      this.log.error(messages.cacheFileWriteFailed(this.file, error.message, writeAdvice(code), MAX_RETRY_DELAY_MS / 1000));
    }
    this.lastFailure = failure;
    if (this.timer) return;
    this.delayMs = nextRetryDelay(this.delayMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retry();
    }, this.delayMs);
    this.timer.unref();
  }

  /** The delay of the retry scheduled now, if any. */
  get scheduledDelayMs(): number | undefined {
    return this.timer ? this.delayMs : undefined;
  }

  succeeded(): void {
    if (this.lastFailure !== undefined) this.log.log(messages.cacheFileWritable(this.file));
    this.lastFailure = undefined;
    this.delayMs = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether the last write failed (results wait in memory). */
  get failing(): boolean {
    return this.lastFailure !== undefined;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
