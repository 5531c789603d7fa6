/**
 * What `npm pack` puts in the package, from a copy of the repository as git
 * holds it (the working tree's own dist/ is left alone): the compiled library,
 * its types and the CLI, nothing else, whatever an earlier build left in dist/.
 */
import { afterAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers/temp-dir';

// Jest runs from the repository's root, as the other process specs assume
const repo = resolve('.');
const copy = tempDir('precompute-pack-');
afterAll(() => copy.cleanup());

it('packs the compiled library, its types and the CLI, and no file an earlier build left in dist/', () => {
  // The files git tracks, as they are now; node_modules shared
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo }).toString().split('\0').filter(Boolean);
  execFileSync('tar', ['-cf', join(copy.path, 'repo.tar'), '--null', '-T', '-'], { cwd: repo, input: tracked.join('\0') });
  const root = join(copy.path, 'repo');
  mkdirSync(root);
  execFileSync('tar', ['-xf', join(copy.path, 'repo.tar'), '-C', root]);
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  // What a maintainer's earlier build or experiment left behind
  mkdirSync(join(root, 'dist', 'base', 'test'), { recursive: true });
  writeFileSync(join(root, 'dist', 'base', 'test', 'leftover.spec.js'), '');
  writeFileSync(join(root, 'dist', 'removed-module.js'), '');

  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts=false'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString()) as [
    { files: Array<{ path: string }> },
  ];
  const files = packed.files.map((file) => file.path).sort();
  expect(files.filter((path) => !path.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
  expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/terminus/index.js', 'dist/terminus/index.d.ts']));
  expect(files.filter((path) => path.includes('leftover') || path.includes('removed-module') || path.startsWith('dist/base/'))).toEqual([]);
  expect(files.filter((path) => /\.spec\.|tsbuildinfo|(^|\/)(test|bench|sample)\//.test(path))).toEqual([]);
}, 120_000);
