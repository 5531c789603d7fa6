import { afterEach, describe, expect, it } from '@jest/globals';
import { resolveOptions, setOptionOverrides } from '../precompute.options';

describe('the overrides the CLI passes to the module (instead of process.env)', () => {
  afterEach(() => setOptionOverrides(undefined));

  it('apply over the options of forRoot(), and only while set', () => {
    const given = { cacheFile: 'app.json', startup: 'background' as const };
    setOptionOverrides({ cacheFile: 'ci.json', startup: 'blocking' });
    expect(resolveOptions(given)).toMatchObject({ cacheFile: 'ci.json', startup: 'blocking' });
    setOptionOverrides(undefined);
    expect(resolveOptions(given)).toMatchObject({ cacheFile: 'app.json', startup: 'background' });
  });

  it('never touch process.env', () => {
    const before = { ...process.env };
    setOptionOverrides({ cacheFile: 'ci.json', startup: 'off' });
    expect(process.env).toEqual(before);
  });

  it('leave a given option alone when not overridden; cacheClientErrors defaults to true', () => {
    setOptionOverrides({ startup: 'off' });
    expect(resolveOptions({ cacheFile: 'app.json' })).toMatchObject({ cacheFile: 'app.json', startup: 'off', cacheClientErrors: true });
  });
});
