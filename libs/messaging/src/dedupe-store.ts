import type { Redis } from 'ioredis';
import { withinBudget } from '@keel/core';
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

/** Remembers ids of handled messages in Redis, so a redelivery can be skipped. */
export class DedupeStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  constructor(
    connection: RedisConnection,
    private readonly prefix: string,
    private readonly timeoutMs: number,
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

  async seen(scope: string, id: string): Promise<boolean> {
    const key = this.key(scope, id);
    return (await this.within('lookup', key, this.redis.exists(key))) === 1;
  }

  /** Called only after the handler succeeded, so a failed attempt is never marked. */
  async markHandled(scope: string, id: string, ttlMs: number): Promise<void> {
    const key = this.key(scope, id);
    await this.within('mark', key, this.redis.set(key, '1', 'PX', ttlMs));
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
      call.catch((err: unknown) => {
        throw failed(err);
      }),
      this.timeoutMs,
      () => failed(`no answer within ${this.timeoutMs} ms`),
    );
  }
}
