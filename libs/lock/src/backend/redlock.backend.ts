import { LockBackendError } from '../lock.errors';
import type { AcquireOutcome, AcquireRequest, LockBackend, ReleaseListener } from './lock-backend';
import type { LockKeys } from './lock-keys';
import { LOCK_SCRIPTS } from './lock.scripts';
import { toOutcome } from './redis-lock.backend';
import { closeRedis, duplicateClient, RedisClient } from './redis-connection';
import { monotonicMs, trackConnectionErrors } from '@keel/core/internal';
import { withinLockBudget } from './backend-errors';

interface Node {
  client: RedisClient;
  owned: boolean;
  subscriber: RedisClient | null;
}

/**
 * Redlock over N independent masters: a lock is granted when a majority took it within the
 * lease minus clock drift. No FIFO queue (each node would order waiters differently).
 * Fencing tokens stay increasing while nodes keep their data (see README).
 */
export class RedlockBackend implements LockBackend {
  private readonly nodes: Node[];
  private readonly quorum: number;
  private readonly listeners: ReleaseListener[] = [];

  constructor(
    clients: { client: RedisClient; owned: boolean }[],
    private readonly keys: LockKeys,
    private readonly driftFactor: number,
  ) {
    this.nodes = clients.map(({ client, owned }) => {
      // a down node must count as a failed vote at once, not after queued retries
      if (owned) client.options.enableOfflineQueue = false;
      return { client, owned, subscriber: null };
    });
    this.quorum = Math.floor(this.nodes.length / 2) + 1;
  }

  async acquire(req: AcquireRequest): Promise<AcquireOutcome> {
    const keys = this.keys.acquireKeys(req.names);
    const started = monotonicMs();
    const perNode = Math.max(50, Math.min(req.timeoutMs, req.leaseMs / 2));
    const votes = await Promise.allSettled(
      this.nodes.map((n) =>
        LOCK_SCRIPTS.acquire
          .run(
            n.client,
            keys.length,
            [
              ...keys,
              req.owner,
              req.leaseMs,
              '',
              req.waiterLiveMs,
              '0',
              req.willWait ? '1' : '0',
              '0',
            ],
            perNode,
            'acquire',
          )
          .then(toOutcome),
      ),
    );
    const granted: number[] = [];
    let retryInMs = -1;
    let answered = 0;
    votes.forEach((v, i) => {
      if (v.status !== 'fulfilled') return;
      answered++;
      if (v.value.granted) granted.push(i);
      else retryInMs = Math.max(retryInMs, v.value.retryInMs);
    });
    const driftMs = Math.round(req.leaseMs * this.driftFactor) + 2;
    const valid = req.leaseMs - (monotonicMs() - started) - driftMs > 0;
    if (granted.length >= this.quorum && valid) {
      const fences = req.names.map((_, j) =>
        Math.max(
          ...granted.map(
            (i) => (votes[i] as PromiseFulfilledResult<{ fences: number[] }>).value.fences[j],
          ),
        ),
      );
      if (await this.raise(granted, req.names, fences, perNode))
        return { granted: true, fences, driftMs };
    }
    await this.releaseOn(
      this.nodes.map((_, i) => i),
      req.names,
      req.owner,
      perNode,
    );
    if (answered < this.quorum) {
      throw new LockBackendError(`only ${answered} of ${this.nodes.length} Redlock nodes answered`);
    }
    return { granted: false, retryInMs };
  }

  async release(names: readonly string[], owner: string, timeoutMs: number): Promise<number> {
    const released = await this.releaseOn(
      this.nodes.map((_, i) => i),
      names,
      owner,
      timeoutMs,
    );
    return released >= this.quorum ? names.length : 0;
  }

  async extend(
    names: readonly string[],
    owner: string,
    leaseMs: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const keys = this.keys.lockKeys(names);
    const started = monotonicMs();
    const results = await Promise.allSettled(
      this.nodes.map((n) =>
        LOCK_SCRIPTS.extend.run(
          n.client,
          keys.length,
          [...keys, owner, leaseMs],
          timeoutMs,
          'extend',
        ),
      ),
    );
    const owned = results.filter(
      (r) => r.status === 'fulfilled' && Number(r.value) === names.length,
    ).length;
    if (results.every((r) => r.status === 'rejected')) {
      throw new LockBackendError('no Redlock node answered the extension');
    }
    const driftMs = Math.round(leaseMs * this.driftFactor) + 2;
    return owned >= this.quorum && leaseMs - (monotonicMs() - started) - driftMs > 0;
  }

  async leave(): Promise<void> {
    // no queue in Redlock mode
  }

  onReleased(listener: ReleaseListener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await Promise.allSettled(
      this.nodes.map(async (n) => {
        if (n.subscriber) return;
        const sub = duplicateClient(n.client);
        sub.options.enableOfflineQueue = true; // subscribe may be sent before it connects
        trackConnectionErrors(sub);
        const clientPrefix = n.client.options.keyPrefix;
        sub.on('message', (_c: string, message: string) => {
          const a = this.keys.announcement(message, clientPrefix);
          // no queue: every local waiter on the name retries
          if (a) for (const l of this.listeners) l(a.name, '');
        });
        n.subscriber = sub;
        await withinLockBudget(sub.subscribe(this.keys.channel), 5_000, 'subscribe', sub);
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        if (n.subscriber) await closeRedis(n.subscriber);
        n.subscriber = null;
        if (n.owned) await closeRedis(n.client);
      }),
    );
  }

  private async raise(
    on: number[],
    names: readonly string[],
    fences: number[],
    timeoutMs: number,
  ): Promise<boolean> {
    const fenceKeys = names.map((n) => this.keys.fence(n));
    const results = await Promise.allSettled(
      on.map((i) =>
        LOCK_SCRIPTS.raise.run(
          this.nodes[i].client,
          fenceKeys.length,
          [...fenceKeys, ...fences],
          timeoutMs,
          'raise',
        ),
      ),
    );
    return results.filter((r) => r.status === 'fulfilled').length >= this.quorum;
  }

  private async releaseOn(
    on: number[],
    names: readonly string[],
    owner: string,
    timeoutMs: number,
  ): Promise<number> {
    const keys = this.keys.lockKeys(names);
    const results = await Promise.allSettled(
      on.map((i) =>
        LOCK_SCRIPTS.release.run(
          this.nodes[i].client,
          keys.length,
          [...keys, owner, this.keys.channel],
          timeoutMs,
          'release',
        ),
      ),
    );
    return results.filter((r) => r.status === 'fulfilled' && Number(r.value) === names.length)
      .length;
  }
}
