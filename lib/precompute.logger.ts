import { Inject, Injectable, Logger, type LoggerService } from '@nestjs/common';
import { LOGGER_CONTEXT } from './precompute.constants';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from './precompute.options';

const RANK = { log: 0, warn: 1, error: 2, silent: 3 } as const;

/**
 * The module's logger: Nest's `Logger` with the `Precompute` context (so the
 * app's own logger, `app.useLogger()` or `bufferLogs`, receives everything),
 * filtered by the `logLevel` option.
 */
@Injectable()
export class PrecomputeLogger implements LoggerService {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly rank: number;

  constructor(@Inject(PRECOMPUTE_OPTIONS) options: ResolvedOptions) {
    this.rank = RANK[options.logLevel];
  }

  log(message: string): void {
    if (this.rank <= RANK.log) this.logger.log(message);
  }

  warn(message: string): void {
    if (this.rank <= RANK.warn) this.logger.warn(message);
  }

  error(message: string): void {
    if (this.rank <= RANK.error) this.logger.error(message);
  }
}
