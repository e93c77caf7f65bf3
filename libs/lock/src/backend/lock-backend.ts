export type AcquireOutcome =
  | {
      granted: true;
      fences: number[];
      /** clock drift to take off the lease (Redlock) */ driftMs?: number;
      /**
       * A release handed the lock to this waiter before this request arrived: its lease is
       * counted from the waiter's last request that was answered busy.
       */
      handedOver?: boolean;
    }
  | {
      granted: false;
      /** ms until a blocking lease ends; -1 when unknown */ retryInMs: number;
      /** For a queued waiter, the name's fence counter when this request was answered. */
      fenceNow?: number;
    };

export interface AcquireRequest {
  names: readonly string[];
  owner: string;
  leaseMs: number;
  /** Fair-queue id to wait as; '' to not join the queue (tryAcquire). */
  waiter: string;
  /** The caller waits when busy: releases of these names must be announced. */
  willWait: boolean;
  /** An earlier attempt of this waiter was busy, so it may sit in the queue. */
  queued: boolean;
  /** Treat a free lock with waiters queued ahead as busy (fair); false lets the call barge. */
  honourQueue: boolean;
  /** How long a queued waiter stays in the queue without retrying. */
  waiterLiveMs: number;
  /** Give up (LockBackendError) when Redis has not answered within this. */
  timeoutMs: number;
}

export type ReleaseListener = (name: string, nextWaiter: string, fence?: number) => void;

/** Where locks live: one Redis, or a Redlock quorum of independent masters. */
export interface LockBackend {
  /**
   * A grant counts only once `acquire` confirmed it (waitForReplicas): one announced over
   * pub/sub is not trusted, the waiter asks again and `acquire` confirms it.
   */
  readonly confirmsGrants?: boolean;
  acquire(req: AcquireRequest): Promise<AcquireOutcome>;
  /**
   * Optional lean first attempt at one free name: the fence when granted, 0 when held or
   * reserved for a queued waiter (then `acquire` queues the caller, or a try reports busy), -1
   * when free but waiters are queued (then `acquire` decides, honouring the live ones).
   */
  acquireFree?(name: string, owner: string, leaseMs: number, timeoutMs: number): Promise<number>;
  /** Releases the names still owned by `owner`; returns how many were. */
  release(names: readonly string[], owner: string, timeoutMs: number): Promise<number>;
  /** Resets the lease; true only if `owner` still holds every name. */
  extend(
    names: readonly string[],
    owner: string,
    leaseMs: number,
    timeoutMs: number,
  ): Promise<boolean>;
  /** A waiter that gives up leaves the queue (best effort). */
  leave(names: readonly string[], waiter: string): Promise<void>;
  /**
   * Called whenever a lock is released anywhere with the name, the waiter it went to or is
   * reserved for ('' when free), and the fence when it was granted to that waiter outright.
   */
  onReleased(listener: ReleaseListener): void;
  /** Starts the release subscription; resolves when subscribed (or rejects if Redis is down). */
  start(): Promise<void>;
  close(): Promise<void>;
}
