import { trackConnectionErrors } from '@keel/core/internal';
import { LockBackendError } from '../lock.errors';
import type { AcquireOutcome, AcquireRequest, LockBackend, ReleaseListener } from './lock-backend';
import { PROCESS_TAG } from '../owner-token';
import { LockKeys } from './lock-keys';
import { LOCK_SCRIPTS } from './lock.scripts';
import { closeRedis, duplicateClient, RedisClient } from './redis-connection';
import { explainCrossSlot, withinLockBudget } from './backend-errors';
import type { ReplicaAck } from '../lock.options';
import { awaitReplicas } from './replica-wait';

export function toOutcome(reply: unknown): AcquireOutcome {
  const arr = reply as number[];
  if (arr[0] === 1) return { granted: true, fences: arr.slice(1).map(Number) };
  if (arr[0] === 2) return { granted: true, fences: [Number(arr[1])], handedOver: true };
  if (arr.length > 2)
    return { granted: false, retryInMs: Number(arr[1]), fenceNow: Number(arr[2]) };
  return { granted: false, retryInMs: Number(arr[1]) };
}

/** Locks on one Redis server (or one Cluster: each name's keys share a slot). */
export class RedisLockBackend implements LockBackend {
  private subscriber: RedisClient | null = null;
  private readonly listeners: ReleaseListener[] = [];
  readonly confirmsGrants: boolean;

  constructor(
    private readonly client: RedisClient,
    private readonly owned: boolean,
    private readonly keys: LockKeys,
    /** waitForReplicas; without it every call is exactly its script */
    private readonly replicaAck?: ReplicaAck,
  ) {
    this.confirmsGrants = replicaAck !== undefined;
  }

  acquireFree(name: string, owner: string, leaseMs: number, timeoutMs: number): Promise<number> {
    const lock = this.keys.lock(name);
    const args = [lock, `${lock}:fence`, `${lock}:q`, owner, leaseMs];
    const fence = LOCK_SCRIPTS.acquireFree.run(this.client, 3, args, timeoutMs, 'acquire', Number);
    if (!this.replicaAck) return fence;
    return fence.then((f) => (f > 0 ? this.confirmGrant([name], owner, f, 0) : f));
  }

  acquire(req: AcquireRequest): Promise<AcquireOutcome> {
    const keys = this.keys.acquireKeys(req.names);
    // a multi-name lock neither queues nor honours queues: consistent queue order across
    // names cannot be kept, and waiting in several queues could deadlock
    const single = req.names.length === 1;
    const args = [
      ...keys,
      req.owner,
      req.leaseMs,
      single ? req.waiter : '',
      req.waiterLiveMs,
      single && req.honourQueue ? '1' : '0',
      req.willWait ? '1' : '0',
      req.queued ? '1' : '0',
    ];
    const outcome = LOCK_SCRIPTS.acquire
      .run(this.client, keys.length, args, req.timeoutMs, 'acquire')
      .then(toOutcome, explainCrossSlot);
    if (!this.replicaAck) return outcome;
    return outcome.then((o): AcquireOutcome | Promise<AcquireOutcome> =>
      o.granted ? this.confirmGrant(req.names, req.owner, o, o.handedOver ? req.leaseMs : 0) : o,
    );
  }

  /**
   * Resolves `value` once the grant reached the replicas, else releases it and rejects. A
   * handover was written on the releaser's connection, and WAIT is documented to cover only
   * this connection's writes (Redis 7.0 happens to cover all before our last command): a write
   * of ours after it (resetting the lease to `rewriteLeaseMs`) makes it ours.
   */
  private confirmGrant<T>(
    names: readonly string[],
    owner: string,
    value: T,
    rewriteLeaseMs: number,
  ): Promise<T> {
    const written =
      rewriteLeaseMs > 0
        ? this.extendScript(names, owner, rewriteLeaseMs, 1_000).then((owned) => {
            if (!owned) throw new LockBackendError('a lock handed over was no longer ours');
          })
        : Promise.resolve();
    return written
      .then(() => awaitReplicas(this.client, this.replicaAck!, names, 'grant'))
      .then(
        () => value,
        (err: unknown) => {
          const fail = (): never => {
            throw err;
          };
          return this.release(names, owner, 1_000).then(fail, fail);
        },
      );
  }

  release(names: readonly string[], owner: string, timeoutMs: number): Promise<number> {
    const keys = this.keys.lockKeys(names);
    const args = [...keys, owner, this.keys.channel];
    return LOCK_SCRIPTS.release.run(this.client, keys.length, args, timeoutMs, 'release', Number);
  }

  extend(
    names: readonly string[],
    owner: string,
    leaseMs: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const owned = this.extendScript(names, owner, leaseMs, timeoutMs);
    if (!this.replicaAck) return owned;
    const ack = this.replicaAck;
    return owned.then((ok) =>
      ok ? awaitReplicas(this.client, ack, names, 'extension').then(() => true) : false,
    );
  }

  private extendScript(
    names: readonly string[],
    owner: string,
    leaseMs: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const keys = this.keys.lockKeys(names);
    const args = [...keys, owner, leaseMs];
    return LOCK_SCRIPTS.extend.run(
      this.client,
      keys.length,
      args,
      timeoutMs,
      'extend',
      (n) => Number(n) === names.length,
    );
  }

  async leave(names: readonly string[], waiter: string): Promise<void> {
    if (names.length !== 1) return;
    const keys = this.keys.leaveKeys(names);
    const args = [...keys, waiter, this.keys.channel];
    await LOCK_SCRIPTS.leave.run(this.client, keys.length, args, 1_000, 'leave');
  }

  onReleased(listener: ReleaseListener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.subscriber) return;
    const sub = duplicateClient(this.client);
    trackConnectionErrors(sub);
    const clientPrefix = this.client.options.keyPrefix;
    sub.on('message', (_channel: string, message: string) => {
      const a = this.keys.announcement(message, clientPrefix);
      if (a) for (const l of this.listeners) l(a.name, a.next, a.fence);
    });
    this.subscriber = sub;
    // ioredis re-subscribes by itself after a reconnect
    const channels = [this.keys.channel, this.keys.inbox(PROCESS_TAG)];
    await withinLockBudget(sub.subscribe(...channels), 5_000, 'subscribe', sub);
  }

  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub) await closeRedis(sub);
    if (this.owned) await closeRedis(this.client);
  }
}
