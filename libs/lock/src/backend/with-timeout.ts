import { LockBackendError } from '../lock.errors';

/** Rejects with LockBackendError when `work` has not settled within `ms`; wraps its errors too. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new LockBackendError(`${what}: no answer within ${ms} ms`)),
      ms,
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(
          err instanceof LockBackendError
            ? err
            : new LockBackendError(
                `${what}: ${err instanceof Error ? err.message : String(err)}`,
                err,
              ),
        );
      },
    );
  });
}
