import { Inject, Injectable } from '@nestjs/common';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import { toResponseJson } from '../invocation/response-serializer';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { createEntry } from '../storage/cache-entry';
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
  ) {}

  /** Starts the computation of `key` as the given live call; call the returned function once with its result. */
  begin(handler: PrecomputedHandler, key: string): (result: LiveResult) => void {
    const finish = this.computations.share(key);
    return (result) => {
      if ('error' in result) return finish({ error: errorMessage(result.error) });
      toResponseJson(handler, result.value).then(
        (json) => {
          const existing = this.store.get(key);
          if (existing) return finish({ entry: existing });
          const entry = createEntry(key, json.value, handler.options.version, Date.now(), json.text);
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
