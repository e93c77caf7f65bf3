import { isThenable, type AnyFn } from '@keel/core/internal';
import { isObservable, Observable } from 'rxjs';

/** What a timed call reports when it settles; durations in seconds. */
export interface CallObserver {
  success(seconds: number): void;
  failure(error: unknown, seconds: number): void;
}

/** Milliseconds from an arbitrary origin; injectable so tests can use a fake clock. */
export type Clock = () => number;

const performanceClock: Clock = () => performance.now();

/**
 * Wraps `next` so `observer` hears how each call ended and how long it took: a returned
 * promise when it settles, a returned Observable per subscription when it completes or errors
 * (an unsubscribe before that is not recorded), anything else right away. Sync stays sync.
 */
export function instrument(next: AnyFn, observer: CallObserver, clock = performanceClock): AnyFn {
  return function instrumented(this: unknown): unknown {
    const start = clock();
    let result: unknown;
    try {
      // eslint-disable-next-line prefer-rest-params
      result = next.apply(this, arguments as unknown as unknown[]);
    } catch (err) {
      observer.failure(err, (clock() - start) / 1000);
      throw err;
    }
    // Primitives (most sync results) skip the three checks below.
    if (typeof result === 'object' && result !== null) {
      if (result instanceof Promise) return settle(result, observer, clock, start);
      if (isObservable(result)) return timeSubscriptions(result, observer, clock);
      if (isThenable(result)) return settle(Promise.resolve(result), observer, clock, start);
    }
    observer.success((clock() - start) / 1000);
    return result;
  };
}

function settle(
  promise: Promise<unknown>,
  observer: CallObserver,
  clock: Clock,
  start: number,
): Promise<unknown> {
  return promise.then(
    (value) => {
      observer.success((clock() - start) / 1000);
      return value;
    },
    (err: unknown) => {
      observer.failure(err, (clock() - start) / 1000);
      throw err;
    },
  );
}

function timeSubscriptions<T>(
  source: Observable<T>,
  observer: CallObserver,
  clock: Clock,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const start = clock();
    return source.subscribe({
      next: (value) => subscriber.next(value),
      error: (err: unknown) => {
        observer.failure(err, (clock() - start) / 1000);
        subscriber.error(err);
      },
      complete: () => {
        observer.success((clock() - start) / 1000);
        subscriber.complete();
      },
    });
  });
}
