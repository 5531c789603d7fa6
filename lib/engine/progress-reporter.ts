import type { LoggerService } from '@nestjs/common';

/**
 * Progress lines for one handler's run: at most one every `intervalMs`, plus one
 * at every 10% step, with rate and ETA.
 */
export class ProgressReporter {
  private readonly startedAt = Date.now();
  private lastLineAt = this.startedAt;
  private lastDecile = 0;
  private done = 0;

  constructor(
    private readonly logger: LoggerService | undefined,
    private readonly name: string,
    private readonly total: number,
    private readonly intervalMs: number,
  ) {}

  tick(): void {
    this.done++;
    if (!this.logger || this.done === this.total) return;
    const now = Date.now();
    const decile = Math.floor((this.done * 10) / this.total);
    const sinceLast = now - this.lastLineAt;
    // Every interval, and at each new 10% step unless the last line is very recent
    if (sinceLast < this.intervalMs && (decile === this.lastDecile || sinceLast < 250)) return;
    this.lastLineAt = now;
    this.lastDecile = decile;
    const seconds = (now - this.startedAt) / 1000;
    const rate = this.done / Math.max(seconds, 0.001);
    const eta = (this.total - this.done) / rate;
    this.logger.log(
      `${this.name}: ${this.done}/${this.total} (${Math.floor((this.done * 100) / this.total)}%), ` +
        `${rate.toFixed(1)}/s, about ${formatDuration(eta * 1000)} left`,
    );
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
