import { KeelError } from '@keel/core';
import { lockDeadlines } from '../deadline-timer';
import { LockArgumentError, LockBackendError } from '../lock.errors';
import { monotonicMs } from '../clock';
import { connectionProblem, type RedisClient } from './redis-connection';

/** Rejects with LockBackendError when `work` has not settled within `ms`; wraps its errors too. */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  client?: RedisClient,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = lockDeadlines.add(monotonicMs() + ms, () =>
      reject(new LockBackendError(withConnection(`${what}: no answer within ${ms} ms`, client))),
    );
    work.then(
      (value) => {
        lockDeadlines.delete(deadline);
        resolve(value);
      },
      (err: unknown) => {
        lockDeadlines.delete(deadline);
        reject(toBackendError(what, err, client));
      },
    );
  });
}

/**
 * A Redis client's failure as LockBackendError naming the call and, when the client is not
 * connected, its address and last connection error; Keel's own errors pass as is.
 */
export function toBackendError(what: string, err: unknown, client?: RedisClient): Error {
  if (err instanceof KeelError) return err;
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  return new LockBackendError(withConnection(message, client), err);
}

function withConnection(message: string, client: RedisClient | undefined): string {
  const problem = client && connectionProblem(client);
  return problem ? `${message.replace(/\.+$/, '')}; ${problem}` : message;
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
