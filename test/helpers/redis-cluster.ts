import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir } from './temp-dir';

/** A real 3-master Redis Cluster on 127.0.0.1 (no replicas, no persistence). */
export interface RedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` */
  readonly seeds: string;
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (+10000) is free too. */
async function freeClusterPort(taken: readonly number[]): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (taken.includes(port) || taken.includes(port + 10000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10000))) return port;
  }
  throw new Error('found no free port pair (port and port + 10000) for a Redis Cluster node');
}

function startNode(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
        '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`cluster node redis-server :${port} exited (${code}):\n${output}`)));
  });
}

/** Starts three cluster-enabled redis-server processes and joins them with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisCluster> {
  if (spawnSync('redis-cli', ['--version']).error) {
    throw new Error('redis-cli is not installed (Debian: redis-tools, a dependency of redis-server); install it to run the cluster tests');
  }
  const dir = tempDir('precompute-cluster-');
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) ports.push(await freeClusterPort(ports));
  const nodes = await Promise.all(ports.map((port) => startNode(port, dir.path)));
  const stop = async () => {
    await Promise.all(
      nodes.map((node) => new Promise<void>((resolve) => {
        if (node.exitCode !== null) return resolve();
        node.removeAllListeners('exit');
        node.on('close', () => resolve());
        node.kill('SIGKILL');
      })),
    );
    dir.cleanup();
  };
  const seeds = ports.map((port) => `127.0.0.1:${port}`);
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...seeds, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
  if (created.status !== 0) {
    await stop();
    throw new Error(`redis-cli --cluster create failed (${created.status}):\n${created.stdout}\n${created.stderr}`);
  }
  // Every node must agree before a client routes by slots; no event announces it, so ask until it does
  const deadline = Date.now() + 20_000;
  let last = '';
  for (const port of ports) {
    for (;;) {
      last = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
      if (last.includes('cluster_state:ok')) break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the cluster did not reach cluster_state:ok within 20 s; node :${port} said:\n${last}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { seeds: seeds.join(','), ports, stop };
}
