import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Precomputed, PrecomputeService, RedisStore } from '../lib';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';

@Controller('acl')
class AclController {
  @Get()
  @Precomputed({ params: { n: ['1', '2', '3'] } })
  get(@Query('n') n: string) {
    return { n };
  }
}

const PASSWORD = 'admin-secret';
let redis: RedisServer;
let admin: Redis;
const dir = tempDir('precompute-redis-errors-');

beforeAll(async () => {
  redis = await startRedis(['--requirepass', PASSWORD]);
  admin = new Redis({ port: redis.port, host: '127.0.0.1', password: PASSWORD });
});
afterAll(async () => {
  admin.disconnect();
  await redis.stop();
  dir.cleanup();
});

const at = (auth: string) => `redis://${auth}@127.0.0.1:${redis.port}`;

async function startupError(store: RedisStore): Promise<string> {
  try {
    const app = await createTestApp({ precompute: { store }, controllers: [AclController] });
    await app.close();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('startup did not fail');
}

describe('Redis authentication', () => {
  it('a wrong password names WRONGPASS and how to fix the connection, even with onUnavailable: local', async () => {
    for (const onUnavailable of ['fail', 'local'] as const) {
      const message = await startupError(new RedisStore({ connection: at(':wrong'), onUnavailable }));
      expect(message).toContain('Redis (prefix "nestjs-precompute"): Redis refused the credentials (WRONGPASS');
      expect(message).toContain('Fix the username and password of the RedisStore connection: redis://user:password@host:port');
      expect(message).not.toContain('Connection is closed');
    }
  });

  it('no password where Redis requires one names NOAUTH and where to put it', async () => {
    const message = await startupError(new RedisStore({ connection: `redis://127.0.0.1:${redis.port}` }));
    expect(message).toContain('Redis requires a password (NOAUTH');
    expect(message).toContain('redis://:password@host:port');
  });

  it('the right password starts and serves', async () => {
    const app = await createTestApp({ precompute: { store: new RedisStore({ connection: at(`:${PASSWORD}`), prefix: 'auth-ok' }) }, controllers: [AclController] });
    expect(app.get(PrecomputeService).get(AclController, 'get', { n: 2 })).toEqual({ n: '2' });
    await app.close();
  });

  it('the CLI names WRONGPASS too', () => {
    const result = spawnSync(process.execPath, [resolve('.build/lib/cli/main.js'), 'redis-export', '--redis', at(':wrong'), '--file', dir.file('x.json')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Redis refused the credentials (WRONGPASS');
  });
});

describe('Redis ACL users', () => {
  const user = async (name: string, ...rules: string[]) => {
    await admin.call('acl', 'setuser', name, 'reset', 'on', '>pw', ...rules);
    return at(`${name}:pw`);
  };

  it('a user without rights on the prefix fails at startup, listing what is refused and every right the store needs', async () => {
    const connection = await user('elsewhere', '~other:*', '&other:*', '+@all');
    const message = await startupError(new RedisStore({ connection, prefix: 'app' }));
    expect(message).toContain('Redis (prefix "app"): the Redis user lacks rights the store needs: hscan on app:entries (NOPERM');
    expect(message).toContain('hset on app:entries');
    expect(message).toContain('set on app:lease:startup-check:');
    expect(message).toContain('publish on app:changes');
    expect(message).toContain('subscribe on app:changes');
    expect(message).toContain('the commands hscan, hget, hmget, hset, hdel, set, eval, get, pexpire, del, publish, subscribe, ping, multi, exec, info on the keys app:*, and the pub/sub channel app:changes');
    expect(message).toContain('ACL SETUSER <user> ~app:* &app:changes +hscan +hget +hmget +hset +hdel +set +eval +get +pexpire +del +publish +subscribe +ping +multi +exec +info');
  });

  it('a user with key rights but no pub/sub rights fails at startup instead of looping on EXECABORT', async () => {
    const logger = new MemoryLogger();
    const connection = await user('nopubsub', '~app2:*', '+@all');
    let message = '';
    try {
      await createTestApp({ precompute: { store: new RedisStore({ connection, prefix: 'app2' }) }, controllers: [AclController], logger });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('the Redis user lacks rights the store needs: publish on app2:changes (NOPERM');
    expect(message).toContain('subscribe on app2:changes');
    expect(message).not.toContain('hset on');
    expect(logger.lines.join('\n')).not.toContain('EXECABORT');
    // Nothing was written: the check changes nothing another replica could see
    expect(await admin.hlen('app2:entries')).toBe(0);
  });

  it('a user given exactly the rule the message prints starts, computes, and serves', async () => {
    const refused = await startupError(new RedisStore({ connection: await user('exact', '~none:*'), prefix: 'app3' }));
    const rule = /ACL SETUSER <user> (.*?) \(added/.exec(refused)?.[1] as string;
    const connection = await user('exact', ...rule.split(' '));
    const store = new RedisStore({ connection, prefix: 'app3' });
    const app = await createTestApp({ precompute: { store }, controllers: [AclController] });
    expect(await app.get(PrecomputeService).whenReady()).toMatchObject({ computed: 3, failed: 0 });
    expect(await admin.hlen('app3:entries')).toBe(3);
    expect(await admin.keys('app3:lease:*')).toEqual([]);
    await app.close();
  });

  it('rights revoked while running: writes are refused with one error naming the fix, not a warning per write', async () => {
    const connection = await user('revoked', '~app4:*', '&app4:changes', '+@all');
    const logger = new MemoryLogger();
    const app = await createTestApp({ precompute: { store: new RedisStore({ connection, prefix: 'app4' }) }, controllers: [AclController], logger });
    await admin.call('acl', 'setuser', 'revoked', 'resetchannels');
    const service = app.get(PrecomputeService);
    await service.refresh();
    await service.refresh();
    const refused = logger.lines.filter((line) => line.includes('Redis refuses this store\'s writes'));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('Grant the rights the store needs');
    expect(logger.lines.filter((line) => line.includes('EXECABORT') && !line.includes('refuses'))).toEqual([]);
    await app.close();
  });
});
