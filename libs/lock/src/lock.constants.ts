export const DISTRIBUTED_LOCK_METADATA = 'keel:lock:distributed-lock';

/** The lock handles the current async call chain holds, by lock name (reentrancy). */
export const HELD_LOCKS_SLOT = Symbol('keel.lock.held');

export const LOCK_BACKEND = Symbol('keel.lock.backend');
export const LOCK_METRICS = Symbol('keel.lock.metrics');
export const RESOLVED_LOCK_OPTIONS = Symbol('keel.lock.resolved-options');

export const DEFAULTS = {
  keyPrefix: 'keel:lock:',
  leaseMs: 30_000,
  waitMs: 10_000,
  pollMinMs: 5,
  pollMaxMs: 1_000,
  jitterMs: 5,
  driftFactor: 0.01,
  watchdog: true,
  replicaTimeoutMs: 100,
} as const;
