import { KeelError } from '@keel/core';

/** The lock stayed busy for the whole wait budget (or `onBusy: 'throw'` found it busy). */
export class LockNotAcquiredError extends KeelError {
  constructor(
    readonly keys: readonly string[],
    readonly waitedMs: number,
  ) {
    super(
      `Lock ${keys.join(', ')} is held by someone else; gave up after ${waitedMs} ms. ` +
        'Retry later, raise waitMs, or use onBusy: "skip" if the work may be dropped.',
      { code: 'KEEL_LOCK_NOT_ACQUIRED' },
    );
  }
}

/** The lease ended while the holder still ran: another process may now hold the lock. */
export class LeaseLostError extends KeelError {
  constructor(
    readonly keys: readonly string[],
    readonly reason: string,
  ) {
    super(
      `Lease on lock ${keys.join(', ')} was lost (${reason}); another holder may be inside the ` +
        'critical section. Stop the work, and guard writes with the fencing token.',
      { code: 'KEEL_LEASE_LOST' },
    );
  }
}

/** Redis did not answer or failed; the lock state is unknown. */
export class LockBackendError extends KeelError {
  constructor(message: string, cause?: unknown) {
    super(`Lock backend failed: ${message.replace(/\.+$/, '')}. Check that Redis is reachable.`, {
      code: 'KEEL_LOCK_BACKEND',
      cause,
    });
  }
}

/** A key, option or argument of a lock call is invalid. */
export class LockArgumentError extends KeelError {
  constructor(message: string) {
    super(message, { code: 'KEEL_LOCK_ARGUMENT' });
  }
}
