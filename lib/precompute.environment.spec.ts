import { describe, expect, it } from '@jest/globals';
import { environmentOverrides } from './precompute.environment';
import { resolveOptions } from './precompute.options';

describe('the environment layer', () => {
  it('reads the documented variables, and nothing else', () => {
    expect(
      environmentOverrides({ NESTJS_PRECOMPUTE_CACHE_FILE: '/data/cache.json', NESTJS_PRECOMPUTE_STARTUP: 'off', NESTJS_PRECOMPUTE_CONCURRENCY: '9' }),
    ).toEqual({ cacheFile: '/data/cache.json', startup: 'off' });
  });

  it('an empty or missing variable overrides nothing', () => {
    expect(environmentOverrides({ NESTJS_PRECOMPUTE_CACHE_FILE: '' })).toEqual({});
    expect(environmentOverrides({})).toEqual({});
  });

  it('wins over the options given in code, which win over the defaults', () => {
    const options = resolveOptions({ cacheFile: 'code.json', startup: 'background', concurrency: 2 }, environmentOverrides({ NESTJS_PRECOMPUTE_STARTUP: 'off' }));
    expect(options).toMatchObject({ cacheFile: 'code.json', startup: 'off', concurrency: 2, retries: 0 });
  });

  it('a bad value from the environment fails like a bad option', () => {
    expect(() => resolveOptions({ cacheFile: 'c.json' }, environmentOverrides({ NESTJS_PRECOMPUTE_STARTUP: 'sometimes' }))).toThrow(
      'option "startup" must be one of "blocking", "background", "off", got "sometimes"',
    );
  });

  it('resolveOptions reads no environment of its own', () => {
    process.env.NESTJS_PRECOMPUTE_STARTUP = 'off';
    try {
      expect(resolveOptions({ cacheFile: 'c.json' }).startup).toBe('blocking');
    } finally {
      delete process.env.NESTJS_PRECOMPUTE_STARTUP;
    }
  });
});
