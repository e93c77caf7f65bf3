import { LockNotReplicatedError } from '../lock.errors';
import type { RedisClient } from './redis-connection';
import { awaitReplicas } from './replica-wait';

// The client at a seam: WAIT's answer, and whether ioredis reconnected before it was sent.
function client(acknowledged: number, reconnects: boolean): RedisClient {
  const c = {
    stream: {},
    status: 'ready',
    options: {},
    wait: () => {
      if (reconnects) c.stream = {};
      return Promise.resolve(acknowledged);
    },
  };
  return c as unknown as RedisClient;
}

const ack = { replicas: 1, timeoutMs: 50 };

describe('awaitReplicas', () => {
  it('resolves when enough replicas acknowledged, rejects when fewer did', async () => {
    await expect(awaitReplicas(client(1, false), ack, ['k'], 'grant')).resolves.toBeUndefined();
    await expect(awaitReplicas(client(0, false), ack, ['k'], 'grant')).rejects.toThrow(
      LockNotReplicatedError,
    );
  });

  it('counts nothing from a WAIT sent on a new connection, whatever it answered', async () => {
    const err = await awaitReplicas(client(1, true), ack, ['k'], 'extension').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LockNotReplicatedError);
    expect((err as LockNotReplicatedError).acknowledged).toBe(0);
  });
});
