import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { runWithContext } from '@keel/core';
import { getContextSlot, isThenable, monotonicMs, setContextSlot } from '@keel/core/internal';
import type { LockBackend } from './backend/lock-backend';
import {
  HELD_LOCKS_SLOT,
  LOCK_BACKEND,
  LOCK_METRICS,
  RESOLVED_LOCK_OPTIONS,
} from './lock.constants';
import { LockBackendError, LockNotAcquiredError } from './lock.errors';
import { HandleHooks, LockHandle } from './lock-handle';
import { LockMetrics } from './lock.metrics';
import { newOwnerToken } from './owner-token';
import type { LockCallOptions, OnBusy, ResolvedLockOptions } from './lock.options';
import { checkCallOptions, normaliseKeys } from './lock.validation';
import { WakeBoard } from './wake-board';
import { longestPollMs, waiterLiveMs } from './waiter-liveness';

type HeldLocks = ReadonlyMap<string, LockHandle>;

/** One call's way to a lock: what it asked for and where it stands. */
interface Attempt {
  names: readonly string[];
  opts: LockCallOptions;
  mode: 'wait' | 'try';
  metricName: string;
  leaseMs: number;
  /** monotonicMs() when the call began, and when its wait budget ends */
  started: number;
  deadline: number;
  owner: string;
}

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
    backend.onReleased((name, next, fence) => this.board.released(name, next, fence));
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
   * releases after `fn` settles. Rejects with LeaseLostError, once `fn` has settled, if the
   * lease was lost meanwhile (`handle.signal` aborts at the loss: honour it to stop early).
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

  /**
   * @internal the decorator's path: names already validated. Resolves undefined on 'skip'.
   * Written with callbacks, not async/await: with async context tracking on, every promise and
   * await costs, and the uncontended cycle is down to the few the Redis calls need.
   */
  runLocked<T>(
    names: readonly string[],
    opts: LockCallOptions,
    onBusy: OnBusy,
    metricName: string,
    fn: (handle: LockHandle) => T | Promise<T>,
  ): Promise<T | undefined> {
    const held = getContextSlot<HeldLocks>(HELD_LOCKS_SLOT);
    const missing = held ? names.filter((n) => !held.get(n)?.isHeld) : names;
    return new Promise<T | undefined>((resolve, reject) => {
      // reentrant: this call chain already holds every name
      if (missing.length === 0) return resolve(fn(held!.get(names[0])!));
      const mode = onBusy === 'wait' ? 'wait' : 'try';
      this.obtainThen(missing, opts, mode, metricName, reject, (handle) => {
        if (handle) return this.hold(handle, held, missing, fn, resolve, reject);
        if (onBusy === 'skip') resolve(undefined);
        else reject(new LockNotAcquiredError(missing, 0));
      });
    });
  }

  /**
   * Runs `fn` in a context that holds `handle`, then releases it (so what `fn` committed is
   * visible before the next holder enters) and settles like `fn`, or, when the lease was lost
   * meanwhile, rejects with LeaseLostError once `fn` has settled (its signal aborted at the
   * loss). A failed release is logged: the lease ends on its own and the caller's result stands.
   */
  private hold<T>(
    handle: LockHandle,
    held: HeldLocks | undefined,
    names: readonly string[],
    fn: (handle: LockHandle) => T | Promise<T>,
    resolve: (value: T) => void,
    reject: (err: unknown) => void,
  ): void {
    let settled = false;
    const finish = (failed: boolean, result: unknown): void => {
      if (settled) return;
      settled = true;
      handle.onLost(undefined);
      const settle = (): void => (failed ? reject(result) : resolve(result as T));
      // a lost lease has nothing left to release
      if (!handle.isHeld) return settle();
      let released: Promise<number>;
      try {
        released = handle.releaseNow();
      } catch (err) {
        // the caller must still hear back, whatever a backend throws
        released = Promise.reject(err);
      }
      released.then(settle, (err: unknown) => {
        this.logger.warn(`release of ${handle.keys.join(', ')} failed: ${(err as Error).message}`);
        settle();
      });
    };
    // A lease lost while fn runs aborts handle.signal at once, but the call rejects with
    // LeaseLostError only once fn has settled: a caller that retries (a Kafka listener's
    // dispatcher) must not start a second run beside one that ignores the signal.
    let lostWhileRunning: unknown;
    const lost = handle.onLost((err) => (lostWhileRunning ??= err));
    if (lost) return finish(true, lost);
    const done = (failed: boolean, result: unknown): void =>
      lostWhileRunning === undefined ? finish(failed, result) : finish(true, lostWhileRunning);
    runWithContext({}, () => {
      const next = new Map(held);
      for (const n of names) next.set(n, handle);
      setContextSlot(HELD_LOCKS_SLOT, next);
      let out: T | Promise<T>;
      try {
        out = fn(handle);
      } catch (err) {
        return done(true, err);
      }
      if (!isThenable(out)) return done(false, out);
      Promise.resolve(out).then(
        (value: T) => done(false, value),
        (err: unknown) => done(true, err),
      );
    });
  }

  private obtain(
    names: readonly string[],
    opts: LockCallOptions,
    mode: 'wait' | 'try',
    metricName: string,
  ): Promise<LockHandle | null> {
    return new Promise((resolve, reject) =>
      this.obtainThen(names, opts, mode, metricName, reject, resolve),
    );
  }

  /**
   * Gets the lock(s) and calls `granted` with the handle (null: busy, for 'try'), or `failed`
   * with the error (LockNotAcquiredError when a wait timed out).
   */
  private obtainThen(
    names: readonly string[],
    opts: LockCallOptions,
    mode: 'wait' | 'try',
    metricName: string,
    failed: (err: unknown) => void,
    granted: (handle: LockHandle | null) => void,
  ): void {
    const o = this.options;
    const leaseMs = opts.leaseMs ?? o.leaseMs;
    const waitMs = mode === 'try' ? 0 : (opts.waitMs ?? o.waitMs);
    const a: Attempt = {
      names,
      opts,
      mode,
      metricName,
      leaseMs,
      started: monotonicMs(),
      deadline: 0,
      owner: newOwnerToken(),
    };
    a.deadline = a.started + waitMs;
    // the uncontended case in one lean script; busy or queued goes on to the fair path below,
    // straight there when waiters in this process already show the name is contended
    if (names.length !== 1 || !this.backend.acquireFree || this.board.has(names[0])) {
      return void this.queue(a).then(granted, failed);
    }
    this.backend.acquireFree(names[0], a.owner, leaseMs, Math.max(waitMs, 1_000)).then(
      (fence) => {
        if (fence > 0) return granted(this.grant(a, [fence], a.started));
        // -1: free, but with waiters queued; the fair path sees whether any of them is live
        if (mode === 'try' && fence === 0) {
          this.metrics.observeAcquire(metricName, 'busy', monotonicMs() - a.started);
          return granted(null);
        }
        void this.queue(a).then(granted, failed);
      },
      (err: unknown) => {
        try {
          this.backendFailed(err, a, mode === 'wait' && monotonicMs() < a.deadline);
        } catch (thrown) {
          return failed(thrown);
        }
        void this.queue(a).then(granted, failed);
      },
    );
  }

  private grant(a: Attempt, fences: number[], leaseStart: number): LockHandle {
    const o = this.options;
    this.metrics.observeAcquire(a.metricName, 'acquired', monotonicMs() - a.started);
    return new LockHandle({
      names: a.names,
      fences,
      owner: a.owner,
      leaseMs: a.leaseMs,
      leaseStart,
      watchdog: a.opts.watchdog ?? o.watchdog,
      maxHoldMs: a.opts.maxHoldMs,
      metricName: a.metricName,
      backend: this.backend,
      hooks: this.hooks,
      callTimeoutMs: Math.max(100, Math.min(a.leaseMs / 3, 5_000)),
    });
  }

  /**
   * The fair path: queue (when waiting) and retry on release announcements or by polling. A
   * release may hand the lock to a queued waiter outright (the announcement carries its fence):
   * that grant was made after the last request answered busy, so its lease counts from that
   * request's sending. It is trusted only when its fence is above the counter that answer saw
   * (an older announcement may be of a grant undone after a failed call), and not at all after
   * a failed call until a request is answered busy again.
   */
  private async queue(a: Attempt): Promise<LockHandle | null> {
    const { names, owner, metricName, started, deadline } = a;
    const { pollMinMs, pollMaxMs } = this.options;
    const liveMs = waiterLiveMs(a.leaseMs, pollMinMs, pollMaxMs);
    const waiter = a.mode === 'wait' ? this.board.add(owner, names) : null;
    let busySent = -1;
    let busyFence = Infinity;
    const announced = waiter !== null && !this.backend.confirmsGrants;
    const handed = (): LockHandle | null =>
      announced && waiter.grant > busyFence ? this.grant(a, [waiter.grant], busySent) : null;
    try {
      for (let attempt = 0; ; attempt++) {
        const sent = monotonicMs();
        const remaining = deadline - sent;
        try {
          const outcome = await this.backend.acquire({
            names,
            owner,
            leaseMs: a.leaseMs,
            waiter: waiter ? owner : '',
            honourQueue: true,
            willWait: waiter !== null,
            queued: attempt > 0,
            waiterLiveMs: liveMs,
            timeoutMs: Math.max(remaining, 1_000),
          });
          if (outcome.granted && outcome.handedOver) {
            if (busySent >= 0) return this.grant(a, outcome.fences, busySent);
            // handed over after a request whose answer was lost: when is unknown, so give it back
            throw new LockBackendError('a lock handed over after a failed call was given back');
          }
          if (outcome.granted) return this.grant(a, outcome.fences, sent - (outcome.driftMs ?? 0));
          if (outcome.fenceNow !== undefined) {
            busySent = sent;
            busyFence = outcome.fenceNow;
          }
          const early = handed();
          if (early) return early;
          if (!waiter || monotonicMs() >= deadline) {
            if (waiter) void this.backend.leave(names, owner).catch(() => undefined);
            this.metrics.observeAcquire(
              metricName,
              waiter ? 'timeout' : 'busy',
              monotonicMs() - started,
            );
            if (!waiter) return null;
            throw new LockNotAcquiredError(names, Math.round(monotonicMs() - started));
          }
          await this.board.sleep(waiter, this.pause(outcome.retryInMs, deadline, liveMs));
          const woken = handed();
          if (woken) return woken;
        } catch (err) {
          busySent = -1;
          busyFence = Infinity;
          this.backendFailed(err, a, waiter !== null && monotonicMs() < deadline);
          await this.board.sleep(waiter!, this.pause(-1, deadline, liveMs));
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
  private backendFailed(err: unknown, a: Attempt, retry: boolean): void {
    if (!(err instanceof LockBackendError)) throw err;
    void this.backend.release(a.names, a.owner, 5_000).catch(() => undefined);
    if (retry) return;
    this.metrics.observeAcquire(a.metricName, 'error', monotonicMs() - a.started);
    throw err;
  }

  /**
   * How long a waiter sleeps unless woken: until the blocking lease ends, bounded, jittered, and
   * never so long that its queue entry (live `liveMs` from each request) runs out.
   */
  private pause(retryInMs: number, deadline: number, liveMs: number): number {
    const { pollMinMs, pollMaxMs, jitterMs } = this.options;
    const longest = longestPollMs(liveMs);
    const base = Math.min(
      retryInMs > 0 ? retryInMs : pollMaxMs,
      pollMaxMs,
      Math.max(1, longest - jitterMs),
    );
    const jittered = Math.max(pollMinMs, base) + Math.random() * jitterMs;
    return Math.max(0, Math.min(jittered, longest, deadline - monotonicMs()));
  }
}
