import Redis from 'ioredis';
import type { RedisConnection } from './messaging.options';

/** Remembers ids of handled messages in Redis, so a redelivery can be skipped. */
export class DedupeStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  constructor(
    connection: RedisConnection,
    private readonly prefix: string,
  ) {
    if (connection instanceof Redis) {
      this.redis = connection;
      this.owned = false;
    } else {
      this.redis =
        typeof connection === 'string'
          ? new Redis(connection, { lazyConnect: true })
          : new Redis({ lazyConnect: true, ...connection });
      // a failing call rejects on its own; an unheard 'error' event would only add noise
      this.redis.on('error', () => undefined);
      this.owned = true;
    }
  }

  async seen(scope: string, id: string): Promise<boolean> {
    return (await this.redis.exists(this.key(scope, id))) === 1;
  }

  /** Called only after the handler succeeded, so a failed attempt is never marked. */
  async markHandled(scope: string, id: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(scope, id), '1', 'PX', ttlMs);
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
}
