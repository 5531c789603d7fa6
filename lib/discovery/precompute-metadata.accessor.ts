import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PrecomputedOptions } from '../interfaces/precomputed-options.interface';
import { PRECOMPUTED_METADATA } from '../precompute.constants';

/** Reads what `@Precomputed()` wrote on a handler. */
@Injectable()
export class PrecomputeMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  getOptions(handler: Function): PrecomputedOptions | undefined {
    return this.reflector.get<PrecomputedOptions | undefined>(PRECOMPUTED_METADATA, handler);
  }
}
