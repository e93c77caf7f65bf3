import { KeelError, withinBudget } from '@keel/core';
import { connectionProblem } from '@keel/core/internal';
import { LockArgumentError, LockBackendError } from '../lock.errors';
import type { RedisClient } from './redis-connection';

/** `work` within core's budget: LockBackendError past `ms`, and for its own errors too. */
export function withinLockBudget<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  client?: RedisClient,
): Promise<T> {
  return withinBudget(
    work,
    ms,
    () => new LockBackendError(withConnection(`${what}: no answer within ${ms} ms`, client)),
    (err) => toBackendError(what, err, client),
  );
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
