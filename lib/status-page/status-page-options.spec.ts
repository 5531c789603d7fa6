import { describe, expect, it } from '@jest/globals';
import type { CanActivate } from '@nestjs/common';
import { validateStatusPage } from './status-page-options';

const allow: CanActivate = { canActivate: () => true };

describe('validateStatusPage', () => {
  it('refuses a page without a guard, unless NODE_ENV is development', () => {
    expect(() => validateStatusPage({ path: '/precompute' }, { NODE_ENV: 'production' })).toThrow(
      'statusPage at /precompute has no guard, and NODE_ENV is "production"',
    );
    expect(() => validateStatusPage({ path: '/precompute' }, {})).toThrow('NODE_ENV is not set');
    expect(() => validateStatusPage({ path: '/precompute' }, { NODE_ENV: 'development' })).not.toThrow();
    expect(() => validateStatusPage({ path: '/precompute', guard: allow }, { NODE_ENV: 'production' })).not.toThrow();
    expect(() => validateStatusPage({ path: '/precompute', guard: class {} }, { NODE_ENV: 'production' })).not.toThrow();
  });

  it('names the bad field', () => {
    expect(() => validateStatusPage({ path: 'precompute', guard: allow })).toThrow('needs a path starting with "/"');
    expect(() => validateStatusPage({ path: '/p', guard: allow, refresh: true })).toThrow('unknown field "refresh"');
    expect(() => validateStatusPage({ path: '/p', guard: {} })).toThrow('neither a guard class nor an object with canActivate()');
    expect(() => validateStatusPage({ path: '/p', guard: allow, autoRefreshSeconds: -1 })).toThrow('autoRefreshSeconds');
    expect(() => validateStatusPage({ path: '/p', guard: allow, refreshButton: 'yes' })).toThrow('refreshButton');
    expect(() => validateStatusPage(undefined)).not.toThrow();
  });
});
