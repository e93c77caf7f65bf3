import { Cluster, Redis } from 'ioredis';
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

const lastErrors = new WeakMap<RedisClient, Error>();

/** Remembers a client's last connection error, for connectionProblem(). */
export function trackConnectionErrors(client: RedisClient): void {
  client.on('error', (err: Error) => lastErrors.set(client, err));
}

/**
 * Why a client that is not connected cannot answer, with its address (never its password):
 * "Redis at 127.0.0.1:6390 is reconnecting (connect ECONNREFUSED 127.0.0.1:6390)".
 */
export function connectionProblem(client: RedisClient): string | undefined {
  if (client.status === 'ready') return undefined;
  const address =
    client instanceof Cluster
      ? 'the cluster'
      : `${client.options.host ?? '127.0.0.1'}:${client.options.port ?? 6379}`;
  const last = lastErrors.get(client);
  return `Redis at ${address} is ${client.status}${last ? ` (${last.message})` : ''}`;
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

export function describe(conn: RedisConnection): string {
  if (typeof conn === 'string') return conn.replace(/\/\/[^@/]*@/, '//***@');
  if (conn instanceof Redis) return `${conn.options.host ?? '?'}:${conn.options.port ?? '?'}`;
  if (conn instanceof Cluster) return 'cluster';
  return `${conn.host ?? '127.0.0.1'}:${conn.port ?? 6379}`;
}

/** A second connection with the same options (ioredis 6's two generic `duplicate`s do not unify). */
export function duplicateClient(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
