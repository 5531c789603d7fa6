import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir('precompute-bench-smoke-');
afterAll(() => dir.cleanup());

describe('npm run bench (smoke: tiny sizes, so it cannot rot)', () => {
  it('runs every benchmark and writes the report and charts', () => {
    const run = spawnSync(process.execPath, [resolve('.build/bench/run.js')], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: dir.path, NO_COLOR: '1' },
      timeout: 240_000,
    });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const report = readFileSync(dir.file('BENCHMARKS.md'), 'utf8');
    for (const row of [
      'express: @Precomputed, defaults (no option set)',
      'express: @Precomputed, earlyHits: false (interceptor)',
      'fastify: @Precomputed, defaults + app compression',
      'fastify: @Precomputed, earlyHits: true',
      'fastify: CacheInterceptor (memory)',
      'raw node:http, prebuilt buffer',
      '| 15 |',
      '| app, all cached |',
      '`JSON.parse` of the file',
      'three replicas starting together finish in',
      '## Scale: large files and a million entries',
      '× 1 KB |',
    ]) {
      expect(report).toContain(row);
    }
    expect(existsSync(dir.file('bench/results/serving.svg'))).toBe(true);
    expect(readFileSync(dir.file('bench/results/precompute.svg'), 'utf8')).toMatch(/^<svg /);
  }, 240_000);
});
