import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { errorAnswer } from '../invocation/response-encoding';
import { toResponse } from '../invocation/response-serializer';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { entryOf } from '../storage/cache-entry';
import { Computations } from './combination-runner';
import { errorMessage } from './error-message';

/** What a live request's handler call came to. */
export type LiveResult = { readonly value: unknown } | { readonly error: unknown };

/**
 * Live misses as computations: a live request's own handler call stands as the
 * computation of its key, so concurrent requests for it (and the startup run)
 * wait for that one instead of calling the handler again; its result is stored.
 */
@Injectable()
export class LiveResults {
  constructor(
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    private readonly computations: Computations,
    private readonly logger: PrecomputeLogger,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  /** Starts the computation of `key` as the given live call; call the returned function once with its result. */
  begin(handler: PrecomputedHandler, key: string): (result: LiveResult) => void {
    const finish = this.computations.share(key);
    return (result) => {
      // A 4xx HttpException is an answer (unless an exception filter decides what is sent)
      const answer = 'error' in result && this.options.cacheClientErrors && !handler.filtered ? errorAnswer(result.error) : undefined;
      if ('error' in result && !answer) return finish({ error: errorMessage(result.error) });
      // A live StreamableFile's stream belongs to the response: it cannot be read a second time to store it
      if ('value' in result && isStreamableFile(result.value)) return finish({ skipped: 'a live file is not stored' });
      (answer ? Promise.resolve(answer) : toResponse(handler, (result as { value: unknown }).value)).then(
        (response) => {
          const existing = this.store.get(key);
          if (existing) return finish({ entry: existing });
          const entry = entryOf(key, response, handler.options.version);
          // In memory at once: the requests waiting for it need not wait for the disk (or another process's lock)
          this.store.put([entry]).catch((error: unknown) => {
            this.logger.error(`${handler.name}: could not store the live result of ${key}: ${errorMessage(error)}`);
          });
          finish({ entry });
        },
        (error: unknown) => {
          this.logger.error(`${handler.name}: could not serialize the live result of ${key}: ${errorMessage(error)}`);
          finish({ error: errorMessage(error) });
        },
      );
    };
  }
}

function isStreamableFile(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { getStream?: unknown }).getStream === 'function';
}
