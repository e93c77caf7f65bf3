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
  constructor(
    message: string,
    cause?: unknown,
    /** a subclass's own code and advice */
    detail: { code: string; fix: string } = BACKEND_DETAIL,
  ) {
    super(`Lock backend failed: ${message.replace(/\.+$/, '')}. ${detail.fix}`, {
      code: detail.code,
      cause,
    });
  }
}

const BACKEND_DETAIL = { code: 'KEEL_LOCK_BACKEND', fix: 'Check that Redis is reachable.' };

/**
 * `waitForReplicas`: fewer replicas than asked acknowledged a grant (which was then released)
 * or an extension within the wait, so a failover could lose it. A LockBackendError, so waiting
 * calls retry it within their wait budget like any backend failure.
 */
export class LockNotReplicatedError extends LockBackendError {
  constructor(
    readonly keys: readonly string[],
    readonly acknowledged: number,
    readonly replicas: number,
    readonly timeoutMs: number,
    what: 'grant' | 'extension',
  ) {
    const undone = what === 'grant' ? ' It was released.' : '';
    super(
      `the ${what} of lock ${keys.join(', ')} reached ${acknowledged} of ${replicas} replicas ` +
        `within waitForReplicas.timeoutMs (${timeoutMs} ms), so a failover could lose it.${undone}`,
      undefined,
      {
        code: 'KEEL_LOCK_NOT_REPLICATED',
        fix:
          'Check the replicas (INFO replication on the primary: connected_slaves, lag), or ' +
          'lower waitForReplicas.replicas to the number that can always answer.',
      },
    );
  }
}

/** A key, option or argument of a lock call is invalid. */
export class LockArgumentError extends KeelError {
  constructor(message: string) {
    super(message, { code: 'KEEL_LOCK_ARGUMENT' });
  }
}
