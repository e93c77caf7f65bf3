import type { ReplicaAck } from '../lock.options';
import { LockNotReplicatedError } from '../lock.errors';
import type { RedisClient } from './redis-connection';
import { withinLockBudget } from './backend-errors';

/**
 * Redis `WAIT` on the connection that wrote a grant or extension: it acknowledges every write
 * that connection made so far, so it must be the same client (a Redis, not a Cluster). Resolves
 * when `ack.replicas` replicas have them, else rejects with LockNotReplicatedError. A WAIT that
 * ioredis sent on a new connection (it reconnected in between) counts writes that connection
 * never made, so it confirms nothing.
 */
export function awaitReplicas(
  client: RedisClient,
  ack: ReplicaAck,
  keys: readonly string[],
  what: 'grant' | 'extension',
): Promise<void> {
  const { replicas, timeoutMs } = ack;
  const stream = connectionOf(client);
  const wait = client.wait(replicas, timeoutMs);
  return withinLockBudget(wait, timeoutMs + 1_000, 'WAIT', client).then((acknowledged) => {
    const counted = connectionOf(client) === stream ? acknowledged : 0;
    if (counted < replicas) {
      throw new LockNotReplicatedError(keys, counted, replicas, timeoutMs, what);
    }
  });
}

/** The socket ioredis writes to now; it makes a new one for each reconnect. */
function connectionOf(client: RedisClient): unknown {
  return (client as { stream?: unknown }).stream;
}
