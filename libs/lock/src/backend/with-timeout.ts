import { KeelError } from '@keel/core';
import { lockDeadlines } from '../deadline-timer';
import { LockArgumentError, LockBackendError } from '../lock.errors';
import { monotonicMs } from '../clock';

/** Rejects with LockBackendError when `work` has not settled within `ms`; wraps its errors too. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = lockDeadlines.add(monotonicMs() + ms, () =>
      reject(new LockBackendError(`${what}: no answer within ${ms} ms`)),
    );
    work.then(
      (value) => {
        lockDeadlines.delete(deadline);
        resolve(value);
      },
      (err: unknown) => {
        lockDeadlines.delete(deadline);
        reject(toBackendError(what, err));
      },
    );
  });
}

/** A Redis client's failure as LockBackendError naming the call; Keel's own errors pass as is. */
export function toBackendError(what: string, err: unknown): Error {
  if (err instanceof KeelError) return err;
  return new LockBackendError(`${what}: ${err instanceof Error ? err.message : String(err)}`, err);
}

/** Redis Cluster refuses a script over keys in different slots: that is the caller's keys. */
export function explainCrossSlot(err: unknown): never {
  if (err instanceof Error && err.message.includes('CROSSSLOT')) {
    throw new LockArgumentError(
      'a multi-key lock on Redis Cluster needs its keys in one hash slot: start them with the ' +
        "same text up to a hash tag, e.g. 'order:{42}:capture' and 'order:{42}:refund'",
    );
  }
  throw err;
}
