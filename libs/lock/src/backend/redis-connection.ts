import { Cluster, Redis } from 'ioredis';
import { trackConnectionErrors } from '@keel/core/internal';
import type { RedisConnection } from '../lock.options';

export type RedisClient = Redis | Cluster;

/** A client for a connection option; `owned` tells whether Keel created it (and must close it). */
export function openRedis(conn: RedisConnection): { client: RedisClient; owned: boolean } {
  if (conn instanceof Redis || conn instanceof Cluster) return { client: conn, owned: false };
  const defaults = { maxRetriesPerRequest: 2, connectTimeout: 5_000 };
  const client =
    typeof conn === 'string' ? new Redis(conn, defaults) : new Redis({ ...defaults, ...conn });
  // failures surface as LockBackendError on calls, naming the last one (an unheard 'error'
  // event would only add noise)
  trackConnectionErrors(client);
  return { client, owned: true };
}

export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect(); // QUIT would wait in the offline queue for a server that is not there
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/** A second connection with the same options (ioredis 6's two generic `duplicate`s do not unify). */
export function duplicateClient(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
