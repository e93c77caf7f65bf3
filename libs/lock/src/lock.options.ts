import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { Registry } from 'prom-client';

/** A Redis node: a URL, ioredis options, or a client you own (Keel will not close it). */
export type RedisConnection = string | RedisOptions | Redis | Cluster;

export type OnBusy = 'wait' | 'throw' | 'skip';

export interface LockModuleOptions {
  /** One Redis (standalone or Cluster). Give this or `nodes`. */
  redis?: RedisConnection;
  /** Redlock: independent Redis masters (3 or 5); a lock needs a majority of them. */
  nodes?: RedisConnection[];
  /** Prefix of every Redis key and the release channel. Default `keel:lock:`. */
  keyPrefix?: string;
  /** Default lease in ms. Default 30 000. */
  leaseMs?: number;
  /** Default wait budget in ms for `onBusy: 'wait'` and `acquire`. Default 10 000. */
  waitMs?: number;
  /** Waiter polling fallback (pub/sub wakes waiters first). */
  retry?: {
    /** First poll interval of a waiter, ms; it doubles up to pollMaxMs. Default 5. */
    pollMinMs?: number;
    /**
     * Bounds a waiter's polls, ms: at least every min(lease, pollMaxMs) / 2; one that stops
     * polling leaves the queue after min(lease, pollMaxMs). Default 1 000.
     */
    pollMaxMs?: number;
    /** Random spread added to each poll, ms, so waiters do not align. Default 5. */
    jitterMs?: number;
  };
  /** Redlock clock drift factor. Default 0.01. */
  driftFactor?: number;
  /** Extend leases of decorated calls while they run. Default true. */
  watchdog?: boolean;
  /**
   * After each grant and extension, Redis `WAIT` on its connection: it counts once `replicas`
   * have it, else fails with LockNotReplicatedError (a grant is released). `redis` only.
   */
  waitForReplicas?: {
    /** Replicas that must acknowledge, at least 1. */
    replicas: number;
    /** How long WAIT may take, ms, out of the lease; it blocks the connection. Default 100. */
    timeoutMs?: number;
  };
  /** prom-client registry for keel_lock_* metrics. Default: prom-client's global registry. */
  registry?: Registry;
}

export interface LockCallOptions {
  /** Lease in ms; default the module's `leaseMs`. */
  leaseMs?: number;
  /** Wait budget in ms; 0 means try once. Default the module's `waitMs`. */
  waitMs?: number;
  /** Extend the lease every leaseMs/3 while held (`acquire`: until released). */
  watchdog?: boolean;
  /** Stop extending after this long; the lease then runs out and the handle's signal aborts. */
  maxHoldMs?: number;
  /** Metric label; default `adhoc` for LockService, `Class.method` for the decorator. */
  name?: string;
}

export interface ResolvedLockOptions {
  keyPrefix: string;
  leaseMs: number;
  waitMs: number;
  pollMinMs: number;
  pollMaxMs: number;
  jitterMs: number;
  driftFactor: number;
  watchdog: boolean;
  waitForReplicas?: ReplicaAck;
}

/** How many replicas must acknowledge a grant or extension, and within how long. */
export interface ReplicaAck {
  replicas: number;
  timeoutMs: number;
}
