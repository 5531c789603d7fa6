/**
 * What a RedisStore needs from Redis, and how Redis says it is missing: the
 * pure part of turning Redis errors into messages that name the fix.
 */

/** Every command the store sends, by what it touches. */
export const NEEDED_COMMANDS = {
  entries: ['hscan', 'hget', 'hmget', 'hset', 'hdel'],
  leases: ['set', 'eval', 'get', 'pexpire', 'del'],
  channel: ['publish', 'subscribe'],
  // info: ioredis's ready check, which only warns without it
  connection: ['ping', 'multi', 'exec', 'info'],
} as const;

export interface NeededRights {
  readonly commands: readonly string[];
  readonly keyPattern: string;
  readonly channel: string;
  /** A rule granting exactly these rights, ready to paste after `ACL SETUSER <user> on ><password>`. */
  readonly aclRule: string;
}

export function neededRights(prefix: string): NeededRights {
  const commands = [...new Set(Object.values(NEEDED_COMMANDS).flat())];
  const keyPattern = `${prefix}:*`;
  const channel = `${prefix}:changes`;
  return { commands, keyPattern, channel, aclRule: `~${keyPattern} &${channel} ${commands.map((command) => `+${command}`).join(' ')}` };
}

export type RedisProblem = 'wrong-password' | 'no-password' | 'no-permission' | 'other';

/** What kind of refusal an error from Redis (or ioredis) is. */
export function classifyRedisError(message: string): RedisProblem {
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) return 'wrong-password';
  if (/NOAUTH|Authentication required/i.test(message)) return 'no-password';
  if (/NOPERM/.test(message)) return 'no-permission';
  return 'other';
}

/** A denial found by the startup check: which command, on what. */
export interface Denial {
  readonly command: string;
  readonly on: string;
  readonly error: string;
}

/** The first line of each distinct denial, for a message: `hset on nestjs-precompute:entries (NOPERM ...)`. */
export function describeDenials(denials: readonly Denial[]): string {
  return denials.map((denial) => `${denial.command} on ${denial.on} (${denial.error.split('\n')[0]})`).join('; ');
}
