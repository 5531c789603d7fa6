import { describe, expect, it } from '@jest/globals';
import { classifyRedisError, describeDenials, neededRights } from './redis-rights';

describe('Redis rights and refusals', () => {
  it('names every command, the key pattern and the channel of a prefix, and a rule granting exactly them', () => {
    const rights = neededRights('shop');
    expect(rights.keyPattern).toBe('shop:*');
    expect(rights.channel).toBe('shop:changes');
    expect(rights.commands).toEqual(expect.arrayContaining(['hscan', 'hset', 'hdel', 'set', 'eval', 'publish', 'subscribe', 'multi', 'exec']));
    expect(rights.aclRule.startsWith('~shop:* &shop:changes +hscan')).toBe(true);
  });

  it.each([
    ['WRONGPASS invalid username-password pair or user is disabled.', 'wrong-password'],
    ['ERR invalid password', 'wrong-password'],
    ['NOAUTH Authentication required.', 'no-password'],
    ["NOPERM this user has no permissions to run the 'hset' command", 'no-permission'],
    ['connect ECONNREFUSED 127.0.0.1:1', 'other'],
  ])('%s is %s', (message, kind) => {
    expect(classifyRedisError(message)).toBe(kind);
  });

  it('describes denials on one line each', () => {
    expect(describeDenials([{ command: 'publish', on: 'a:changes', error: 'NOPERM no channel\nmore' }])).toBe('publish on a:changes (NOPERM no channel)');
  });
});
