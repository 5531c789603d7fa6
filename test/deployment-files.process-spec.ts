/**
 * The cache file as deployments really hold it: a single-file bind mount, a
 * symlink into a volume, a file deleted while the app runs, a full disk, and
 * two processes sharing one file. Real mounts (the tests run as root), real
 * child processes.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gridCombinations, httpGet, readCalls, startChild, type Child } from './helpers/child-process';
import { CacheFileWatcher } from '../lib/storage/json-file/cache-file-watcher';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

const ALL = gridCombinations();
const dirs: Array<ReturnType<typeof tempDir>> = [];
const children: Child[] = [];
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL');
  await Promise.all(children.map((child) => child.exited));
  dirs.forEach((dir) => dir.cleanup());
});

function newDir() {
  const dir = tempDir('precompute-deploy-');
  dirs.push(dir);
  return dir;
}

function start(env: Record<string, string>): Child {
  const child = startChild({ DELAY_MS: '0-1', ...env });
  children.push(child);
  return child;
}

async function stop(child: Child): Promise<void> {
  child.process.kill('SIGTERM');
  await child.exited;
}

/** The entries of a cache file that must parse. */
function keysIn(file: string): string[] {
  return Object.keys(JSON.parse(readFileSync(file, 'utf8')).entries).sort();
}

const ALL_KEYS = ALL.map((combination) => {
  const [a, b] = combination.split('/');
  return `GET /grid?a=${a}&b=${b}`;
}).sort();

/** A pid no process has: one that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

/** A host directory holding the cache file (with `content`) and an app directory with an empty file to mount it on. */
function hostAndAppDirs(content: string) {
  const dir = newDir();
  mkdirSync(dir.file('host'));
  mkdirSync(dir.file('app'));
  const host = dir.file('host/cache.json');
  const mounted = dir.file('app/cache.json');
  writeFileSync(host, content);
  writeFileSync(mounted, '');
  return { dir, host, mounted };
}

const temporaryFiles = (directory: string) => readdirSync(directory).filter((name) => name.includes('.tmp-'));

describe('a single-file bind mount (docker run -v ./cache.json:/app/cache.json)', () => {
  it('is written in place with the right advice, leaves no temporary file, and removes those of dead processes', async () => {
    const { dir, host, mounted } = hostAndAppDirs('');
    const leftover = `${mounted}.tmp-${deadPid()}`;
    writeFileSync(leftover, 'a full-size temporary file a killed process left behind');
    execFileSync('mount', ['--bind', host, mounted]);
    try {
      const child = start({ CACHE_FILE: mounted, CALLS_FILE: dir.file('calls-1') });
      const port = await child.listening();
      // Written through the mount: the host's file holds every result
      expect(keysIn(host)).toEqual(ALL_KEYS);
      const log = child.lines.join('\n');
      expect(log).toContain('a single-file bind mount');
      expect(log).toContain(`removed 1 temporary file(s) of processes that are gone (${leftover})`);
      expect(log).not.toMatch(/Cannot write|free disk space/);
      expect(temporaryFiles(dir.file('app'))).toEqual([]);
      // An edit written in place (the only way into a bind-mounted file; the watcher test below shows the directory's
      // watch does not hear of it): served while the app runs
      await waitUntil(() => (existsSync(`${mounted}.lock`) ? undefined : true), 'the app to release the lock after its startup run', 5000);
      const document = JSON.parse(readFileSync(mounted, 'utf8'));
      document.entries['GET /grid?a=a1&b=b1'].value = { edited: 'in place' };
      // Opened for update, written over and cut to length, as an editor that keeps the file's inode saves it
      const text = JSON.stringify(document, null, 2);
      const handle = openSync(mounted, 'r+');
      writeSync(handle, text, 0);
      ftruncateSync(handle, Buffer.byteLength(text));
      closeSync(handle);
      await waitUntil(
        async () => ((await httpGet(port, '/grid?a=a1&b=b1')).body.includes('in place') ? true : undefined),
        'the in-place edit of the bind-mounted file to be served',
        5000,
      );
      await stop(child);
      expect(temporaryFiles(dir.file('app'))).toEqual([]);

      // A crash while copying into the mounted file: the file is cut short, the complete temporary file is there
      const complete = readFileSync(mounted, 'utf8');
      const interrupted = `${mounted}.tmp-${deadPid()}`;
      writeFileSync(interrupted, complete);
      writeFileSync(mounted, complete.slice(0, complete.length / 2));
      const restarted = start({ CACHE_FILE: mounted, CALLS_FILE: dir.file('calls-2') });
      await restarted.listening();
      expect(restarted.lines.join('\n')).toContain(`finished writing ${mounted} from ${interrupted}`);
      expect(readFileSync(host, 'utf8')).toBe(complete);
      expect(readCalls(dir.file('calls-2')).starts).toEqual([]);
      expect(temporaryFiles(dir.file('app'))).toEqual([]);
      await stop(restarted);
    } finally {
      execFileSync('umount', [mounted]);
    }
  });
});

describe('a symlinked cache file (pointing into a volume)', () => {
  it('is written through to its target, stays a link, and edits to the target are served', async () => {
    const dir = newDir();
    mkdirSync(dir.file('app'));
    mkdirSync(dir.file('volume'));
    const link = dir.file('app/cache.json');
    const target = dir.file('volume/real.json');
    symlinkSync('../volume/real.json', link);
    const child = start({ CACHE_FILE: link, CALLS_FILE: dir.file('calls') });
    const port = await child.listening();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(keysIn(target)).toEqual(ALL_KEYS);
    expect(child.lines.join('\n')).toContain(`is a symbolic link: writing through to ${target}`);
    expect(readdirSync(dir.file('app'))).toEqual(['cache.json']);
    // An editor saves the target: the running app serves the edit
    const document = JSON.parse(readFileSync(target, 'utf8'));
    document.entries['GET /grid?a=a1&b=b1'].value = { edited: 'in the volume' };
    writeFileSync(`${target}.swp`, JSON.stringify(document));
    renameSync(`${target}.swp`, target);
    await waitUntil(async () => ((await httpGet(port, '/grid?a=a1&b=b1')).body.includes('in the volume') ? true : undefined), 'the edit of the target to be served');
    await stop(child);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).entries['GET /grid?a=a1&b=b1'].value).toEqual({ edited: 'in the volume' });
  });
});

describe('the cache file deleted while the app runs', () => {
  it('is logged, and written again at once from memory', async () => {
    const dir = newDir();
    const file = dir.file('cache.json');
    const child = start({ CACHE_FILE: file, CALLS_FILE: dir.file('calls') });
    const port = await child.listening();
    rmSync(file);
    await child.waitForLine((line) => line.includes('was deleted while the app runs: writing the 40 entries in memory to a new file now'), 'the deletion to be logged');
    await waitUntil(() => (existsSync(file) && keysIn(file).length === ALL.length ? true : undefined), 'the file to be written again');
    expect(keysIn(file)).toEqual(ALL_KEYS);
    expect((await httpGet(port, '/grid?a=a2&b=b2')).status).toBe(200);
    expect(readCalls(dir.file('calls')).starts).toHaveLength(ALL.length);
    await stop(child);
  });
});

describe('a full disk', () => {
  it('says to free disk space, never claims a crash, and writes everything once there is space', async () => {
    const dir = newDir();
    const small = dir.file('small');
    mkdirSync(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', small]);
    try {
      // Leave about 60 KB: a few results fit in the journal, then a write is cut short by ENOSPC
      const filler = join(small, 'filler');
      writeFileSync(filler, Buffer.alloc(450 * 1024));
      const file = join(small, 'cache.json');
      const child = start({ CACHE_FILE: file, CALLS_FILE: dir.file('calls'), PAYLOAD_BYTES: '8000', CONCURRENCY: '1' });
      await child.waitForLine((line) => line.includes('Cannot write'), 'the disk-full error');
      await child.listening();
      rmSync(filler);
      await child.waitForLine((line) => line.includes('works again'), 'writing to work again');
      await waitUntil(() => (existsSync(file) && keysIn(file).length === ALL.length ? true : undefined), 'every result in the file');
      const log = child.lines.join('\n');
      expect(log).toContain('free disk space');
      expect(log).not.toMatch(/crash|unreadable/);
      await stop(child);
      expect(temporaryFiles(small)).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
    }
  });
});

describe('two processes sharing one file', () => {
  it("see each other's refresh() and invalidate() within 1 s", async () => {
    const dir = newDir();
    const file = dir.file('cache.json');
    const first = start({ CACHE_FILE: file, CALLS_FILE: dir.file('calls-1'), GEN: 'one' });
    const firstPort = await first.listening();
    const second = start({ CACHE_FILE: file, CALLS_FILE: dir.file('calls-2'), GEN: 'two' });
    const secondPort = await second.listening();
    expect(readCalls(dir.file('calls-2')).starts).toEqual([]);
    expect(JSON.parse((await httpGet(firstPort, '/grid?a=a1&b=b1')).body).gen).toBe('one');

    expect((await httpGet(secondPort, '/admin/refresh')).status).toBe(200);
    const refreshed = Date.now();
    await waitUntil(async () => (JSON.parse((await httpGet(firstPort, '/grid?a=a1&b=b1')).body).gen === 'two' ? true : undefined), 'the first process to serve the refresh', 5000, 20);
    expect(Date.now() - refreshed).toBeLessThan(1000);

    expect((await httpGet(secondPort, '/admin/invalidate')).body).toBe(String(ALL.length));
    const invalidated = Date.now();
    // A hit calls no handler; once the invalidation is seen, the request runs live
    await waitUntil(
      async () => {
        await httpGet(firstPort, '/grid?a=a3&b=b3');
        return readCalls(dir.file('calls-1')).starts.filter((combination) => combination === 'a3/b3').length === 2 ? true : undefined;
      },
      'the first process to see the invalidation',
      5000,
      20,
    );
    expect(Date.now() - invalidated).toBeLessThan(1000);
    await stop(second);
    await stop(first);
  });
});

describe('the watcher of a single-file bind mount', () => {
  it('hears an edit written in place through the mount, which the directory does not', async () => {
    const { host, mounted } = hostAndAppDirs('{"entries":{}}');
    execFileSync('mount', ['--bind', host, mounted]);
    let changes = 0;
    const watcher = new CacheFileWatcher([mounted, `${mounted}.journal`], () => changes++);
    try {
      expect(watcher.start()).toBeUndefined();
      const handle = openSync(mounted, 'r+');
      writeSync(handle, '{"entries":{"k":{"value":1}}}', 0);
      closeSync(handle);
      await waitUntil(() => (changes > 0 ? true : undefined), 'the watcher to report the in-place edit', 3000);
    } finally {
      watcher.stop();
      execFileSync('umount', [mounted]);
    }
  });
});
