import type { Redis } from 'ioredis';
import { withinBudget } from '@keel/core';
import { DEFAULTS } from './messaging.constants';
import { DedupeStoreError, MissingPackageError } from './messaging.errors';
import type { RedisConnection } from './messaging.options';

// ioredis is an optional peer, needed only with the `idempotency` option: loaded when a store
// is made, through a literal `require` so bundlers (Nest's webpack build) see it.
function loadRedis(): typeof Redis {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('ioredis') as typeof import('ioredis')).Redis;
  } catch {
    throw new MissingPackageError('ioredis', 'MessagingModule idempotency');
  }
}

/** The value of a handled message's key; an in-progress claim holds its owner's token. */
const HANDLED = '1';

/** What a claim attempt found: now ours, handled before, or held by another delivery. */
export type ClaimOutcome = 'claimed' | 'done' | 'busy';

// One round trip, atomic: a key that is free (or already ours) becomes our claim with a fresh
// TTL; a handled key or another delivery's claim is left alone.
const CLAIM_SCRIPT = `local v = redis.call('GET', KEYS[1])
if v == '${HANDLED}' then return 'done' end
if v and v ~= ARGV[1] then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'claimed'`;

// Deletes the key only while it still holds our claim (never a handled mark or another claim).
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Remembers ids of handled messages in Redis, so a redelivery can be skipped, and claims a
 * message while a delivery of it is being handled, so a second delivery does not run alongside.
 */
export class DedupeStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  constructor(
    connection: RedisConnection,
    private readonly prefix: string,
    private readonly timeoutMs: number,
    /** How long a claim outlives its last refresh (a crashed holder's claim then expires). */
    readonly claimTtlMs: number = DEFAULTS.idempotencyClaimTtlMs,
  ) {
    const RedisClient = loadRedis();
    if (connection instanceof RedisClient) {
      this.redis = connection;
      this.owned = false;
    } else {
      this.redis =
        typeof connection === 'string'
          ? new RedisClient(connection, { lazyConnect: true })
          : new RedisClient({ lazyConnect: true, ...connection });
      // a failing call rejects on its own; an unheard 'error' event would only add noise
      this.redis.on('error', () => undefined);
      this.owned = true;
    }
  }

  /** Whether a handler of this message succeeded before (a claim in progress is not). */
  async seen(scope: string, id: string): Promise<boolean> {
    const key = this.key(scope, id);
    return (await this.within('lookup', key, this.redis.get(key))) === HANDLED;
  }

  /**
   * Claims the message for the delivery holding `token` (or renews that delivery's claim) for
   * claimTtlMs; 'done' when it was handled before, 'busy' while another delivery holds it.
   */
  async claim(scope: string, id: string, token: string): Promise<ClaimOutcome> {
    const key = this.key(scope, id);
    const call = this.redis.eval(CLAIM_SCRIPT, 1, key, token, this.claimTtlMs);
    return (await this.within('claim', key, call)) as ClaimOutcome;
  }

  /** Gives up the claim of `token` (its handler failed), so a redelivery may run at once. */
  async release(scope: string, id: string, token: string): Promise<void> {
    const key = this.key(scope, id);
    await this.within('release', key, this.redis.eval(RELEASE_SCRIPT, 1, key, token));
  }

  /** Called only after the handler succeeded, so a failed attempt is never marked. */
  async markHandled(scope: string, id: string, ttlMs: number): Promise<void> {
    const key = this.key(scope, id);
    await this.within('mark', key, this.redis.set(key, HANDLED, 'PX', ttlMs));
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    // QUIT on a client that is not connected would connect (or wait for a dead server) first
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(scope: string, id: string): string {
    return `${this.prefix}${scope}:${id}`;
  }

  /**
   * The call's answer, or DedupeStoreError past the budget: with Redis down, ioredis holds a
   * command through its reconnect retries (about 10 s by its default schedule) before failing.
   */
  private within<T>(what: string, key: string, call: Promise<T>): Promise<T> {
    const failed = (why: unknown): DedupeStoreError => new DedupeStoreError(what, key, why);
    return withinBudget(
      call,
      this.timeoutMs,
      () => failed(`no answer within ${this.timeoutMs} ms`),
      failed,
    );
  }
}
