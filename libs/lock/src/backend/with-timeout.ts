import { LockBackendError } from '../lock.errors';

/** Rejects with LockBackendError when `work` has not settled within `ms`; wraps its errors too. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LockBackendError(`${what}: no answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).then(
    (value) => {
      clearTimeout(timer);
      return value;
    },
    (err: unknown) => {
      clearTimeout(timer);
      if (err instanceof LockBackendError) throw err;
      throw new LockBackendError(
        `${what}: ${err instanceof Error ? err.message : String(err)}`,
        err,
      );
    },
  );
}
