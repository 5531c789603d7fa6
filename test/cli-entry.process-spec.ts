import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { httpGet, startChild } from './helpers/child-process';
import { tempDir } from './helpers/temp-dir';

const CLI = resolve('.build/lib/cli/main.js');
const MAIN = resolve('.build/test/fixtures/entry-app/main.js');
const MODULE = resolve('.build/test/fixtures/entry-app/app.module.js');
const dir = tempDir('precompute-cli-entry-');
afterAll(() => dir.cleanup());

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir.path, env: { ...process.env, ...env, NO_COLOR: '1' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The entries of a cache file, without the time each was computed. */
function entriesOf(file: string): Record<string, unknown> {
  const entries = JSON.parse(readFileSync(file, 'utf8')).entries as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(entries).map(([key, { computedAt: _computedAt, ...rest }]) => [key, rest]));
}

/** A port this test holds: an app that tried to listen on it would fail. */
async function occupiedPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { port: (server.address() as { port: number }).port, release: () => new Promise((done) => server.close(() => done())) };
}

const URLS = ['red', 'blue', 'ghost'].flatMap((team) => ['', '&page=1', '&page=2'].map((page) => `/api/v1/members?team=${team}${page}`));

describe('the CLI with --entry (the app\'s own main.ts)', () => {
  const cliFile = dir.file('cli-built.json');
  const liveFile = dir.file('live-built.json');

  it('builds the file the live app builds, key for key and value for value, without opening the port', async () => {
    const port = await occupiedPort();
    try {
      const built = cli(['build', '--entry', MAIN, '--cache-file', cliFile], { PORT: String(port.port) });
      expect(built.err).toBe('');
      expect(built.out).toContain('Precompute: 0 cached, 9 computed (3 answered 404), 0 failed');
      expect(built.code).toBe(0);
    } finally {
      await port.release();
    }
    const live = startChild({ CACHE_FILE: liveFile, PORT: '0' }, MAIN);
    try {
      await live.listening();
    } finally {
      live.process.kill();
      await live.exited;
    }
    const fromCli = entriesOf(cliFile);
    expect(Object.keys(fromCli)).toHaveLength(9);
    expect(fromCli).toEqual(entriesOf(liveFile));
    // The global ClassSerializerInterceptor of main.ts applied; the ValidationPipe transformed page into a number
    const text = readFileSync(cliFile, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('password');
    expect(text).toContain('"page": "number"');
  });

  it('an app serving the CLI-built file with startup off answers every URL without calling the handler', async () => {
    const app = startChild({ CACHE_FILE: cliFile, PORT: '0', STARTUP: 'off' }, MAIN);
    try {
      const port = await app.listening();
      for (const url of URLS) {
        const { status, body } = await httpGet(port, url);
        expect([url, status]).toEqual([url, url.includes('ghost') ? 404 : 200]);
        expect(body).not.toContain('hunter2');
      }
      expect(JSON.parse((await httpGet(port, '/api/v1/calls')).body)).toEqual({ handlerCalls: 0 });
    } finally {
      app.process.kill();
      await app.exited;
    }
  });

  it('verify --entry exits 0 on a complete file (4xx answers included) and 1 when a combination is missing', () => {
    const file = dir.file('verified.json');
    writeFileSync(file, readFileSync(cliFile));
    const ok = cli(['verify', '--entry', MAIN, '--cache-file', file]);
    expect(ok.out).toContain('MembersController.list: 9 combinations, 0 missing, 0 stale');
    expect(ok.code).toBe(0);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    delete document.entries[Object.keys(document.entries)[0]];
    writeFileSync(file, JSON.stringify(document));
    const missing = cli(['verify', '--entry', MAIN, '--cache-file', file]);
    expect(missing.out).toContain('1 missing');
    expect(missing.code).toBe(1);
  });

  it('says when the entry never creates and starts an app', () => {
    const { code, err } = cli(['build', '--entry', MODULE, '--cache-file', dir.file('never.json')]);
    expect(code).toBe(1);
    expect(err).toContain('finished without creating a Nest application');
  });

  it('--help explains --entry and --module; a command needs exactly one of them', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--entry');
    expect(help.out).toContain('--module');
    const neither = cli(['build']);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('needs either --entry');
  });
});
