import type { LockBackend } from './backend/lock-backend';
import { type Deadline, keelDeadlines, monotonicMs } from '@keel/core/internal';
import { LeaseLostError, LockArgumentError, LockBackendError } from './lock.errors';

export interface HandleHooks {
  /** Called once when the lease is lost (for metrics). */
  onLost(handle: LockHandle): void;
  /** Called once when a held lock is released (for metrics). */
  onReleased(handle: LockHandle, heldMs: number): void;
}

export interface HandleInit {
  names: readonly string[];
  fences: readonly number[];
  owner: string;
  leaseMs: number;
  /**
   * When the acquire request was sent (monotonicMs()): the lease is counted from there,
   * conservatively.
   */
  leaseStart: number;
  watchdog: boolean;
  maxHoldMs?: number;
  metricName: string;
  backend: LockBackend;
  hooks: HandleHooks;
  /** Budget of one extend/release call. */
  callTimeoutMs: number;
}

/**
 * A held lock. Its `signal` aborts with LeaseLostError when the lease ends before release:
 * the lease ran out (no watchdog, or maxHoldMs reached), an extension found the lock taken,
 * or Redis could not confirm an extension before the lease ended.
 */
export class LockHandle {
  readonly keys: readonly string[];
  /** Fencing token of each key, in `keys` order: strictly increasing per key, never reused. */
  readonly fencingTokens: readonly number[];
  /** When it was granted, wall-clock epoch ms (for display; durations use a monotonic clock). */
  readonly acquiredAt: number;
  readonly metricName: string;
  // created on first use: most handles are released without anyone reading the signal
  private controller: AbortController | undefined;
  private lostError: LeaseLostError | undefined;
  private lostListener: ((err: LeaseLostError) => void) | undefined;
  // on monotonicMs()'s clock, so a stepped wall clock moves neither
  private readonly grantedAt: number;
  private leaseEnd: number;
  private timer: Deadline | undefined;
  private state: 'held' | 'released' | 'lost' = 'held';

  constructor(private readonly init: HandleInit) {
    this.keys = init.names;
    this.fencingTokens = init.fences;
    this.metricName = init.metricName;
    this.acquiredAt = Date.now();
    this.grantedAt = monotonicMs();
    this.leaseEnd = init.leaseStart + init.leaseMs;
    this.schedule();
  }

  /** The lock's key (the first one of a multi-key lock, in sorted order). */
  get key(): string {
    return this.keys[0];
  }

  /** The fencing token of `key`: pass it to the resource you write to. */
  get fencingToken(): number {
    return this.fencingTokens[0];
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.lostError) this.controller.abort(this.lostError);
    }
    return this.controller.signal;
  }

  /** @internal one listener for the loss (the service's race), cheaper than the signal. */
  onLost(listener: ((err: LeaseLostError) => void) | undefined): LeaseLostError | undefined {
    this.lostListener = listener;
    return this.lostError;
  }

  get isHeld(): boolean {
    return this.state === 'held';
  }

  /** Resets the lease to `ms` from now. Throws LeaseLostError if the lock is no longer ours. */
  async extend(ms: number = this.init.leaseMs): Promise<void> {
    if (!(Number.isFinite(ms) && ms > 0)) {
      throw new LockArgumentError(`extend: ms must be a positive number, got ${String(ms)}`);
    }
    this.assertHeld();
    // PEXPIRE takes whole ms; the watchdog's share of maxHoldMs is a monotonic, fractional time
    const whole = Math.ceil(ms);
    const sent = monotonicMs();
    let owned: boolean;
    try {
      owned = await this.init.backend.extend(
        this.keys,
        this.init.owner,
        whole,
        this.init.callTimeoutMs,
      );
    } catch (err) {
      if (monotonicMs() >= this.leaseEnd)
        this.lose('Redis could not confirm the lease before it ended');
      throw err;
    }
    if (!owned) {
      this.lose('the lock expired or was taken by another holder');
      this.assertHeld();
    }
    this.leaseEnd = sent + whole;
    this.schedule();
  }

  /** Releases the lock if still held; resolves whether Redis still had it as ours. */
  release(): Promise<boolean> {
    if (this.state !== 'held') return Promise.resolve(false);
    return this.releaseNow().then((released) => released === this.keys.length);
  }

  /**
   * @internal release, resolving how many keys were still ours (the service's path, which does
   * not need the answer: one promise less per locked call). Call only while held.
   */
  releaseNow(): Promise<number> {
    this.state = 'released';
    keelDeadlines.delete(this.timer);
    this.init.hooks.onReleased(this, monotonicMs() - this.grantedAt);
    return this.init.backend.release(this.keys, this.init.owner, this.init.callTimeoutMs);
  }

  /** Throws the LeaseLostError if the lease was lost, or an error if released. */
  assertHeld(): void {
    if (this.state === 'lost') throw this.lostError!;
    if (this.state === 'released') {
      throw new LockArgumentError(`lock ${this.keys.join(', ')} was already released`);
    }
  }

  private schedule(): void {
    keelDeadlines.delete(this.timer);
    this.timer = undefined;
    if (this.state !== 'held') return;
    const now = monotonicMs();
    const remaining = this.leaseEnd - now;
    const { watchdog, maxHoldMs, leaseMs } = this.init;
    const renewing = watchdog && (maxHoldMs === undefined || now - this.grantedAt < maxHoldMs);
    const delay = renewing ? Math.min(leaseMs / 3, remaining) : remaining;
    this.timer = keelDeadlines.add(now + Math.max(0, delay), () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.state !== 'held') return;
    const now = monotonicMs();
    const { watchdog, maxHoldMs, leaseMs } = this.init;
    const renewing = watchdog && (maxHoldMs === undefined || now - this.grantedAt < maxHoldMs);
    if (!renewing || now >= this.leaseEnd) {
      if (now >= this.leaseEnd) {
        this.lose(
          renewing || !watchdog
            ? 'the lease ran out'
            : `maxHoldMs (${String(maxHoldMs)}) was reached`,
        );
        return;
      }
      this.schedule();
      return;
    }
    const ms =
      maxHoldMs === undefined ? leaseMs : Math.min(leaseMs, this.grantedAt + maxHoldMs - now + 1);
    try {
      await this.extend(Math.max(1, ms));
    } catch (err) {
      // a failed call retries at the next tick while the lease may still stand
      if (!(err instanceof LockBackendError) || this.state !== 'held') return;
      this.schedule();
    }
  }

  private lose(reason: string): void {
    if (this.state !== 'held') return;
    this.state = 'lost';
    keelDeadlines.delete(this.timer);
    const err = new LeaseLostError(this.keys, reason);
    this.lostError = err;
    this.controller?.abort(err);
    this.init.hooks.onLost(this);
    this.lostListener?.(err);
  }
}
