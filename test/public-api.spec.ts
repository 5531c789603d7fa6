import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { MODULE_METADATA } from '@nestjs/common/constants';
import * as api from '../lib';

describe('the public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual(['JsonFileStore', 'PRECOMPUTE_STORE', 'PrecomputeModule', 'PrecomputeService', 'Precomputed', 'RedisStore']);
  });

  it('the global module exports only what users inject', () => {
    expect(Reflect.getMetadata(MODULE_METADATA.EXPORTS, api.PrecomputeModule)).toEqual([api.PrecomputeService]);
  });
});
