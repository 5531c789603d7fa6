import type { Redis } from 'ioredis';
import { messages } from '../../precompute.messages';
import { RELEASE_SCRIPT, RENEW_SCRIPT } from './redis-lease';
import { classifyRedisError, describeDenials, neededRights, type Denial } from './redis-rights';

/** The keys and channel a store of one prefix uses, and a name of its own for the probe's lease. */
export interface ProbeTarget {
  readonly entriesKey: string;
  readonly channel: string;
  readonly probeLeaseKey: string;
  readonly instance: string;
}

type PipelineResult = Array<[Error | null, unknown]> | null;

/**
 * Tries every command the store sends, without changing anything another
 * replica could see, and returns the ones Redis refuses. Without this check a
 * user lacking one right starts, then fails on every write (EXECABORT) forever.
 * Writes to the entries hash cancel out inside one transaction; Redis checks
 * ACL rights when it queues a command, so a refused one aborts it all.
 */
export async function findDenials(client: Redis, target: ProbeTarget): Promise<Denial[]> {
  const probeField = `${target.probeLeaseKey}:field`;
  const reads = (await client
    .pipeline()
    .ping()
    .hscan(target.entriesKey, '0', 'COUNT', 1)
    .hget(target.entriesKey, probeField)
    .hmget(target.entriesKey, probeField)
    .exec()) as PipelineResult;
  const queued = (await client
    .pipeline()
    .call('multi')
    // Set and removed in one transaction: no other client sees the field (a valid entry, should MULTI be refused)
    .hset(target.entriesKey, probeField, '{"value":null}')
    .hdel(target.entriesKey, probeField)
    // Replicas ignore a notice without keys
    .publish(target.channel, JSON.stringify({ origin: target.instance, keys: [] }))
    .call('exec')
    .exec()) as PipelineResult;
  // A real lease on a key no combination has: set, renew and release it, as a claim does
  const lease = (await client
    .pipeline()
    .set(target.probeLeaseKey, target.instance, 'PX', 5000, 'NX')
    .eval(RENEW_SCRIPT, 1, target.probeLeaseKey, target.instance, '5000')
    .eval(RELEASE_SCRIPT, 1, target.probeLeaseKey, target.instance)
    .exec()) as PipelineResult;
  const denials: Denial[] = [];
  const collect = (results: PipelineResult, names: ReadonlyArray<[string, string] | undefined>) =>
    results?.forEach(([error], index) => {
      const name = names[index];
      if (error && name && /NOPERM|no permissions|can't run this command/i.test(error.message)) denials.push({ command: name[0], on: name[1], error: error.message });
    });
  collect(reads, [
    ['ping', 'the connection'],
    ['hscan', target.entriesKey],
    ['hget', target.entriesKey],
    ['hmget', target.entriesKey],
  ]);
  collect(queued, [
    ['multi', 'the connection'],
    ['hset', target.entriesKey],
    ['hdel', target.entriesKey],
    ['publish', target.channel],
    ['exec', 'the connection'],
  ]);
  collect(lease, [
    ['set', target.probeLeaseKey],
    ['eval (get, pexpire)', target.probeLeaseKey],
    ['eval (get, del)', target.probeLeaseKey],
  ]);
  return denials;
}

/**
 * The startup check: every denial (the subscription's too, from `subscribed`),
 * as a message naming what is refused and every right the store needs; undefined when none.
 */
export async function rightsProblem(
  client: Redis,
  subscribed: Promise<Error | undefined>,
  target: ProbeTarget & { readonly prefix: string; readonly store: string },
): Promise<string | undefined> {
  const denials = await findDenials(client, target);
  const subscribeError = await subscribed;
  if (subscribeError && classifyRedisError(subscribeError.message) === 'no-permission') {
    denials.push({ command: 'subscribe', on: target.channel, error: subscribeError.message });
  }
  if (denials.length === 0) return undefined;
  const rights = neededRights(target.prefix);
  return messages.redisNoPermission(target.store, describeDenials(denials), rights.commands, rights.keyPattern, rights.channel, rights.aclRule);
}
