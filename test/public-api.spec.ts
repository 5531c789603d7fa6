import { describe, expect, it } from '@jest/globals';
import * as api from '../lib';

describe('the public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual(['JsonFileStore', 'PRECOMPUTE_STORE', 'PrecomputeModule', 'PrecomputeService', 'Precomputed', 'RedisStore']);
  });
});
