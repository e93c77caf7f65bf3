import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { getContextSlot, runWithContext, setContextSlot } from '@keel/core';
import type { LockBackend } from './backend/lock-backend';
import {
  HELD_LOCKS_SLOT,
  LOCK_BACKEND,
  LOCK_METRICS,
  RESOLVED_LOCK_OPTIONS,
} from './lock.constants';
import { LeaseLostError, LockBackendError, LockNotAcquiredError } from './lock.errors';
import { HandleHooks, LockHandle } from './lock-handle';
import { LockMetrics } from './lock.metrics';
import type { LockCallOptions, OnBusy, ResolvedLockOptions } from './lock.options';
import { checkCallOptions, normaliseKeys } from './lock.validation';
import { WakeBoard } from './wake-board';

type HeldLocks = ReadonlyMap<string, LockHandle>;

const PROCESS_TAG = `${randomBytes(6).toString('hex')}.${process.pid}`;
let ownerSeq = 0;

/** Acquire, try and scoped use of distributed locks; the runtime behind @DistributedLock. */
@Injectable()
export class LockService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LockService');
  private readonly board = new WakeBoard();
  private readonly hooks: HandleHooks;

  constructor(
    @Inject(LOCK_BACKEND) private readonly backend: LockBackend,
    @Inject(RESOLVED_LOCK_OPTIONS) private readonly options: ResolvedLockOptions,
    @Inject(LOCK_METRICS) private readonly metrics: LockMetrics,
  ) {
    backend.onReleased((name, next) => this.board.released(name, next));
    this.hooks = {
      onLost: (h) => metrics.leaseLost(h.metricName),
      onReleased: (h, heldMs) => metrics.observeHeld(h.metricName, heldMs),
    };
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.backend.start();
    } catch (err) {
      // waiters still poll; wake-ups resume when ioredis reconnects and re-subscribes
      this.logger.warn(`release notifications not subscribed yet: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.backend.close();
  }

  /** Waits up to `waitMs` for the lock(s); throws LockNotAcquiredError when it stays busy. */
  async acquire(keys: string | readonly string[], opts: LockCallOptions = {}): Promise<LockHandle> {
    const names = normaliseKeys(keys, 'LockService.acquire');
    checkCallOptions(opts, 'LockService.acquire');
    const handle = await this.obtain(names, opts, 'wait', opts.name ?? 'adhoc');
    return handle as LockHandle;
  }

  /** One attempt, no waiting; null when the lock is busy. */
  async tryAcquire(
    keys: string | readonly string[],
    opts: LockCallOptions = {},
  ): Promise<LockHandle | null> {
    const names = normaliseKeys(keys, 'LockService.tryAcquire');
    checkCallOptions(opts, 'LockService.tryAcquire');
    return this.obtain(names, opts, 'try', opts.name ?? 'adhoc');
  }

  /**
   * Runs `fn` holding the lock(s) (waiting up to `waitMs`), with the watchdog on by default, and
   * releases after `fn` settles. Rejects with LeaseLostError if the lease is lost meanwhile.
   */
  async using<T>(
    keys: string | readonly string[],
    opts: LockCallOptions,
    fn: (handle: LockHandle) => T | Promise<T>,
  ): Promise<T> {
    const names = normaliseKeys(keys, 'LockService.using');
    checkCallOptions(opts, 'LockService.using');
    return this.runLocked(names, opts, 'wait', opts.name ?? 'adhoc', fn) as Promise<T>;
  }

  /** The handle the current async call chain holds for `key` (or its only/first one). */
  current(key?: string): LockHandle | undefined {
    const held = getContextSlot<HeldLocks>(HELD_LOCKS_SLOT);
    if (!held) return undefined;
    if (key !== undefined) return held.get(key);
    return held.values().next().value;
  }

  /** @internal the decorator's path: names already validated. Resolves undefined on 'skip'. */
  async runLocked<T>(
    names: readonly string[],
    opts: LockCallOptions,
    onBusy: OnBusy,
    metricName: string,
    fn: (handle: LockHandle) => T | Promise<T>,
  ): Promise<T | undefined> {
    const held = getContextSlot<HeldLocks>(HELD_LOCKS_SLOT);
    const missing = held ? names.filter((n) => !held.get(n)?.isHeld) : names;
    if (missing.length === 0) {
      // reentrant: this call chain already holds every name
      return fn(held!.get(names[0])!);
    }
    const handle = await this.obtain(missing, opts, onBusy === 'wait' ? 'wait' : 'try', metricName);
    if (!handle) {
      if (onBusy === 'skip') return undefined;
      throw new LockNotAcquiredError(missing, 0);
    }
    try {
      return await runWithContext({}, () => {
        const next = new Map(held);
        for (const n of missing) next.set(n, handle);
        setContextSlot(HELD_LOCKS_SLOT, next);
        return raceLease(handle, fn);
      });
    } finally {
      await handle.release().catch((err: unknown) => {
        // the lease still ends on its own; the caller's result stands
        this.logger.warn(`release of ${handle.keys.join(', ')} failed: ${(err as Error).message}`);
      });
    }
  }

  private async obtain(
    names: readonly string[],
    opts: LockCallOptions,
    mode: 'wait' | 'try',
    metricName: string,
  ): Promise<LockHandle | null> {
    const o = this.options;
    const leaseMs = opts.leaseMs ?? o.leaseMs;
    const waitMs = mode === 'try' ? 0 : (opts.waitMs ?? o.waitMs);
    const started = Date.now();
    const deadline = started + waitMs;
    const owner = `${PROCESS_TAG}.${++ownerSeq}`;
    const grant = (fences: number[], sent: number): LockHandle => {
      this.metrics.observeAcquire(metricName, 'acquired', Date.now() - started);
      return new LockHandle({
        names,
        fences,
        owner,
        leaseMs,
        leaseStart: sent,
        watchdog: opts.watchdog ?? o.watchdog,
        maxHoldMs: opts.maxHoldMs,
        metricName,
        backend: this.backend,
        hooks: this.hooks,
        callTimeoutMs: Math.max(100, Math.min(leaseMs / 3, 5_000)),
      });
    };
    // the uncontended case in one lean script; busy or queued goes on to the fair path below,
    // straight there when waiters in this process already show the name is contended
    if (names.length === 1 && this.backend.acquireFree && !this.board.has(names[0])) {
      try {
        const fence = await this.backend.acquireFree(
          names[0],
          owner,
          leaseMs,
          Math.max(waitMs, 1_000),
        );
        if (fence > 0) return grant([fence], started);
        if (fence === 0 && mode === 'try') {
          this.metrics.observeAcquire(metricName, 'busy', Date.now() - started);
          return null;
        }
      } catch (err) {
        const retry = mode === 'wait' && Date.now() < deadline;
        this.backendFailed(err, names, owner, retry, metricName, started);
      }
    }
    const waiterLiveMs = o.pollMaxMs * 3 + 1_000;
    const waiter = mode === 'wait' ? this.board.add(owner, names) : null;
    try {
      for (let attempt = 0; ; attempt++) {
        const sent = Date.now();
        const remaining = deadline - sent;
        try {
          const outcome = await this.backend.acquire({
            names,
            owner,
            leaseMs,
            waiter: waiter ? owner : '',
            honourQueue: true,
            willWait: waiter !== null,
            queued: attempt > 0,
            waiterLiveMs,
            timeoutMs: Math.max(remaining, 1_000),
          });
          if (outcome.granted) return grant(outcome.fences, sent - (outcome.driftMs ?? 0));
          if (!waiter || Date.now() >= deadline) {
            if (waiter) void this.backend.leave(names, owner).catch(() => undefined);
            this.metrics.observeAcquire(
              metricName,
              waiter ? 'timeout' : 'busy',
              Date.now() - started,
            );
            if (!waiter) return null;
            throw new LockNotAcquiredError(names, Date.now() - started);
          }
          await this.board.sleep(waiter, this.pause(outcome.retryInMs, deadline));
        } catch (err) {
          const retry = waiter !== null && Date.now() < deadline;
          this.backendFailed(err, names, owner, retry, metricName, started);
          await this.board.sleep(waiter!, this.pause(-1, deadline));
        }
      }
    } finally {
      if (waiter) this.board.remove(waiter);
    }
  }

  /**
   * An acquire call failed. Rethrows anything but LockBackendError; else undoes a grant the
   * script may have made after we stopped listening, and rethrows unless the caller may retry.
   */
  private backendFailed(
    err: unknown,
    names: readonly string[],
    owner: string,
    retry: boolean,
    metricName: string,
    started: number,
  ): void {
    if (!(err instanceof LockBackendError)) throw err;
    void this.backend.release(names, owner, 5_000).catch(() => undefined);
    if (retry) return;
    this.metrics.observeAcquire(metricName, 'error', Date.now() - started);
    throw err;
  }

  /** How long a waiter sleeps unless woken: until the blocking lease ends, bounded, jittered. */
  private pause(retryInMs: number, deadline: number): number {
    const { pollMinMs, pollMaxMs, jitterMs } = this.options;
    const base = retryInMs > 0 ? Math.min(retryInMs, pollMaxMs) : pollMaxMs;
    const jittered = Math.max(pollMinMs, base) + Math.random() * jitterMs;
    return Math.max(0, Math.min(jittered, deadline - Date.now()));
  }
}

/** Settles like `fn`, or rejects with LeaseLostError as soon as the lease is lost. */
function raceLease<T>(handle: LockHandle, fn: (handle: LockHandle) => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const lost = handle.onLost(reject);
    if (lost) return reject(lost);
    const settle = (): LeaseLostError | undefined => handle.onLost(undefined);
    try {
      Promise.resolve(fn(handle)).then(
        (v) => {
          const err = settle();
          if (err) reject(err);
          else resolve(v);
        },
        (e: unknown) => {
          settle();
          reject(e);
        },
      );
    } catch (e) {
      settle();
      reject(e);
    }
  });
}
