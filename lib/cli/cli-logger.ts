import type { LoggerService } from '@nestjs/common';

const PROGRESS = /: (\d+)\/(\d+) \((\d+)%\)/;

/**
 * The CLI's logger: plain lines, except progress lines on a terminal, which
 * redraw one progress bar in place.
 */
export class CliLogger implements LoggerService {
  private barShown = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly quiet = false,
  ) {}

  log(message: unknown, context?: string): void {
    const text = String(message);
    const progress = PROGRESS.exec(text);
    if (progress && this.out.isTTY) {
      const width = 30;
      const filled = Math.round((Number(progress[3]) / 100) * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`.slice(0, (this.out.columns ?? 120) - 1));
      this.barShown = true;
      return;
    }
    if (!this.quiet || context === 'Precompute') this.line(context ? `[${context}] ${text}` : text);
  }

  error(message: unknown, ...rest: unknown[]): void {
    const context = rest.length ? String(rest[rest.length - 1]) : undefined;
    this.line(`${context ? `[${context}] ` : ''}ERROR ${String(message)}`, process.stderr);
  }

  warn(message: unknown, context?: string): void {
    this.line(`${context ? `[${context}] ` : ''}WARN ${String(message)}`);
  }

  debug(): void {}
  verbose(): void {}

  private line(text: string, stream: NodeJS.WriteStream = this.out): void {
    if (this.barShown) {
      this.out.write('\n');
      this.barShown = false;
    }
    stream.write(`${text}\n`);
  }
}
