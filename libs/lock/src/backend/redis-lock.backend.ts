import type { AcquireOutcome, AcquireRequest, LockBackend } from './lock-backend';
import { LockKeys } from './lock-keys';
import {
  ACQUIRE_SCRIPT,
  EXTEND_SCRIPT,
  LEAVE_SCRIPT,
  RAISE_SCRIPT,
  RELEASE_SCRIPT,
} from './lock.scripts';
import { closeRedis, RedisClient } from './redis-connection';
import { explainCrossSlot, withTimeout } from './with-timeout';

type ScriptFn = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>;
export interface LockCommands {
  keelLockAcquire: ScriptFn;
  keelLockRelease: ScriptFn;
  keelLockExtend: ScriptFn;
  keelLockLeave: ScriptFn;
  keelLockRaise: ScriptFn;
}

/** Defines the lock scripts on a client (EVALSHA, with EVAL on NOSCRIPT, done by ioredis). */
export function lockCommands(client: RedisClient): LockCommands {
  const commands = client as unknown as Partial<LockCommands>;
  if (!commands.keelLockAcquire) {
    client.defineCommand('keelLockAcquire', { lua: ACQUIRE_SCRIPT });
    client.defineCommand('keelLockRelease', { lua: RELEASE_SCRIPT });
    client.defineCommand('keelLockExtend', { lua: EXTEND_SCRIPT });
    client.defineCommand('keelLockLeave', { lua: LEAVE_SCRIPT });
    client.defineCommand('keelLockRaise', { lua: RAISE_SCRIPT });
  }
  return client as unknown as LockCommands;
}

export function toOutcome(reply: unknown): AcquireOutcome {
  const arr = reply as number[];
  if (arr[0] === 1) return { granted: true, fences: arr.slice(1).map(Number) };
  return { granted: false, retryInMs: Number(arr[1]) };
}

/** Locks on one Redis server (or one Cluster: each name's keys share a slot). */
export class RedisLockBackend implements LockBackend {
  readonly fair = true;
  private readonly cmd: LockCommands;
  private subscriber: RedisClient | null = null;
  private readonly listeners: ((name: string, next: string) => void)[] = [];

  constructor(
    private readonly client: RedisClient,
    private readonly owned: boolean,
    private readonly keys: LockKeys,
  ) {
    this.cmd = lockCommands(client);
  }

  acquire(req: AcquireRequest): Promise<AcquireOutcome> {
    const keys = this.keys.acquireKeys(req.names);
    // a multi-name lock neither queues nor honours queues: consistent queue order across
    // names cannot be kept, and waiting in several queues could deadlock
    const single = req.names.length === 1;
    const reply = this.cmd.keelLockAcquire(
      keys.length,
      ...keys,
      req.owner,
      req.leaseMs,
      single ? req.waiter : '',
      req.waiterLiveMs,
      single && req.honourQueue ? '1' : '0',
      req.willWait ? '1' : '0',
      req.queued ? '1' : '0',
    );
    return withTimeout(reply.catch(explainCrossSlot), req.timeoutMs, 'acquire').then(toOutcome);
  }

  release(names: readonly string[], owner: string, timeoutMs: number): Promise<number> {
    const keys = this.keys.releaseKeys(names);
    const reply = this.cmd.keelLockRelease(
      keys.length,
      ...keys,
      owner,
      this.keys.channel,
      ...names,
    );
    return withTimeout(reply, timeoutMs, 'release').then(Number);
  }

  extend(
    names: readonly string[],
    owner: string,
    leaseMs: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const keys = this.keys.lockKeys(names);
    const reply = this.cmd.keelLockExtend(keys.length, ...keys, owner, leaseMs);
    return withTimeout(reply, timeoutMs, 'extend').then((n) => Number(n) === names.length);
  }

  async leave(names: readonly string[], waiter: string): Promise<void> {
    if (names.length !== 1) return;
    const keys = this.keys.queueKeys(names);
    await withTimeout(this.cmd.keelLockLeave(keys.length, ...keys, waiter), 1_000, 'leave');
  }

  onReleased(listener: (name: string, next: string) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.subscriber) return;
    const sub = this.client.duplicate();
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, message: string) => {
      const cut = message.lastIndexOf('\n');
      const name = message.slice(0, cut);
      const next = message.slice(cut + 1);
      for (const l of this.listeners) l(name, next);
    });
    this.subscriber = sub;
    // ioredis re-subscribes by itself after a reconnect
    await withTimeout(sub.subscribe(this.keys.channel), 5_000, 'subscribe');
  }

  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub) await closeRedis(sub);
    if (this.owned) await closeRedis(this.client);
  }
}
