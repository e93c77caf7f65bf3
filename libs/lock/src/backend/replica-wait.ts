import type { ReplicaAck } from '../lock.options';
import { LockNotReplicatedError } from '../lock.errors';
import type { RedisClient } from './redis-connection';
import { withinLockBudget } from './backend-errors';

/**
 * Redis `WAIT` on the connection that wrote a grant or extension: it acknowledges every write
 * that connection made so far, so it must be the same client (a Redis, not a Cluster). Resolves
 * when `ack.replicas` replicas have them, else rejects with LockNotReplicatedError. The call's
 * own budget is a second on top of WAIT's timeout: a reconnect in between must not pass.
 */
export function awaitReplicas(
  client: RedisClient,
  ack: ReplicaAck,
  keys: readonly string[],
  what: 'grant' | 'extension',
): Promise<void> {
  const { replicas, timeoutMs } = ack;
  return withinLockBudget(client.wait(replicas, timeoutMs), timeoutMs + 1_000, 'WAIT', client).then(
    (acknowledged) => {
      if (acknowledged < replicas) {
        throw new LockNotReplicatedError(keys, acknowledged, replicas, timeoutMs, what);
      }
    },
  );
}
