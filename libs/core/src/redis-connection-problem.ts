/**
 * The part of an ioredis client (a Redis or a Cluster) that tells why it cannot answer, typed by
 * shape so that core needs no ioredis.
 */
export interface RedisClientLike {
  readonly status: string;
  /** host and port for one server's client */
  readonly options: object;
  /** only a Cluster has it */
  readonly nodes?: unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const lastErrors = new WeakMap<RedisClientLike, Error>();
const tracked = new WeakSet<RedisClientLike>();

/**
 * Remembers a client's last connection error, for connectionProblem(). Its listener also keeps
 * ioredis from logging each failed reconnect: calls report the problem instead.
 */
export function trackConnectionErrors(client: RedisClientLike): void {
  if (tracked.has(client)) return;
  tracked.add(client);
  client.on('error', (err: Error) => lastErrors.set(client, err));
}

/**
 * Why a client that is not connected cannot answer, with its address (never its password):
 * "Redis at 127.0.0.1:6390 is reconnecting (connect ECONNREFUSED 127.0.0.1:6390)", which
 * ioredis' own "max retries per request" text leaves out. Undefined while it is ready.
 */
export function connectionProblem(client: RedisClientLike): string | undefined {
  if (client.status === 'ready') return undefined;
  const { host, port } = client.options as { host?: string; port?: number };
  const address =
    typeof client.nodes === 'function' ? 'the cluster' : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
  const last = lastErrors.get(client);
  return `Redis at ${address} is ${client.status}${last ? ` (${last.message})` : ''}`;
}
