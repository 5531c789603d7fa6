import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { PrecomputeService } from '../precompute.service';

export interface PrecomputeHealthOptions {
  /**
   * What combinations whose last computation failed make the indicator:
   * `down` (default: they answer live, at the handler's cost, until a refresh
   * succeeds) or `degraded` (the check stays 200, terminus reports them).
   */
  readonly onFailures?: 'down' | 'degraded';
  /** Failing combinations listed in the result (the count covers them all). Default 5. */
  readonly listFailures?: number;
}

/**
 * A `@nestjs/terminus` indicator: down while the startup run is still
 * computing missing combinations (`startup: 'background'`) or has failed,
 * and when combinations fail; up otherwise.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.precompute.isHealthy('precompute')]); }
 * ```
 */
@Injectable()
export class PrecomputeHealthIndicator {
  private startup: { state: 'running' | 'ready' | 'failed'; error?: string } = { state: 'running' };

  constructor(
    private readonly precompute: PrecomputeService,
    private readonly health: HealthIndicatorService,
  ) {
    precompute.whenReady().then(
      () => (this.startup = { state: 'ready' }),
      (error: Error) => (this.startup = { state: 'failed', error: error.message }),
    );
  }

  isHealthy<const Key extends string>(key: Key, options: PrecomputeHealthOptions = {}): HealthIndicatorResult<Key> {
    const indicator = this.health.check(key);
    const status = this.precompute.status();
    const total = status.reduce((sum, handler) => sum + handler.total, 0);
    const cached = status.reduce((sum, handler) => sum + handler.cached, 0);
    const failing = status.reduce((sum, handler) => sum + handler.failing, 0);
    const failures = status
      .flatMap((handler) => handler.failures.map((failure) => ({ handler: handler.handler, key: failure.key, error: failure.error, at: failure.at })))
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, options.listFailures ?? 5);
    const data = { startup: this.startup.state, total, cached, missing: total - cached, failing, ...(failing ? { failures } : {}) };
    if (this.startup.state === 'failed') return indicator.down({ ...data, message: `The startup precompute failed: ${this.startup.error}` });
    if (this.startup.state === 'running' && cached < total) {
      return indicator.down({ ...data, message: `Precomputing: ${cached} of ${total} combinations cached` });
    }
    if (failing > 0) {
      const message = `${failing} combination${failing === 1 ? '' : 's'} failed to compute (answered live until a refresh succeeds)`;
      return options.onFailures === 'degraded' ? indicator.degraded({ ...data, message }) : indicator.down({ ...data, message });
    }
    return indicator.up(data);
  }
}
