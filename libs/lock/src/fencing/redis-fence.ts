import type { Cluster, Redis } from 'ioredis';
import { LockArgumentError } from '../lock.errors';

/**
 * Sets KEYS[1] to ARGV[2] only if ARGV[1] (the token) is at least the token stored with the last
 * accepted write (in KEYS[1]'s companion hash field); returns 1 on write, 0 when stale.
 */
const FENCED_SET = `
local last = tonumber(redis.call('HGET', KEYS[2], KEYS[1]) or '0')
if tonumber(ARGV[1]) < last then return 0 end
redis.call('HSET', KEYS[2], KEYS[1], ARGV[1])
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/**
 * Compare-and-set guarded by a fencing token: writes `value` to `key` only if `token` is not
 * older than the token of the last write that passed through here, so the holder may write
 * several times under its token. Returns false for a stale holder (a lower token).
 * `fenceHash` holds the last token per key; keep it in the key's Cluster slot with a hash tag.
 *
 *   const ok = await fencedSet(redis, 'balance:{acct-1}', '120', handle.fencingToken);
 *   if (!ok) throw new Error('a newer lock holder already wrote');
 */
export async function fencedSet(
  redis: Redis | Cluster,
  key: string,
  value: string,
  token: number,
  fenceHash = `${key}:fences`,
): Promise<boolean> {
  if (!Number.isSafeInteger(token) || token <= 0) {
    throw new LockArgumentError(
      `fencedSet: token must be a positive integer, got ${String(token)}`,
    );
  }
  const res = await redis.eval(FENCED_SET, 2, key, fenceHash, token, value);
  return Number(res) === 1;
}
