/**
 * Only the scale benchmarks (`node .build/bench/scale-run.js`): writes
 * bench/results/scale.md and its charts; `npm run bench` runs them too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runScaleBenchmarks } from './scale';

const work = mkdtempSync(join(process.env.SCALE_TMP ?? tmpdir(), 'precompute-scale-'));
runScaleBenchmarks(work, resolve(process.env.BENCH_OUT ?? '.'), process.env.BENCH_SMOKE === '1', (line) => console.log(line))
  .then((section) => console.log(section))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
