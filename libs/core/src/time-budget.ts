import { keelDeadlines } from './deadline-timer';
import { monotonicMs } from './monotonic-clock';

/**
 * `work`'s outcome, or a rejection with `onTimeout()` once `ms` have passed without one; a
 * rejection of `work` goes through `onError` when given. The budget is a deadline on the
 * process's one timer (no timer of its own, and one promise), removed when `work` settles.
 */
export function withinBudget<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  onError?: (err: unknown) => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // a throwing factory must not break the shared timer's pass
    const deadline = keelDeadlines.add(monotonicMs() + ms, () => reject(made(onTimeout)));
    work.then(
      (value) => {
        keelDeadlines.delete(deadline);
        resolve(value);
      },
      (err: unknown) => {
        keelDeadlines.delete(deadline);
        reject(onError ? made(() => onError(err)) : err);
      },
    );
  });
}

function made(factory: () => unknown): unknown {
  try {
    return factory();
  } catch (err) {
    return err;
  }
}
