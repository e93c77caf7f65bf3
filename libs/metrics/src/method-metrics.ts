import type { AnyFn, DiscoveredMethod } from '@keel/core/internal';
import type { Counter, Histogram } from 'prom-client';
import { NO_EXCEPTION } from './metrics.constants';
import { instrument, type CallObserver } from './method-timing';
import { exceptionName, type MethodOutcome } from './outcome';
import type { SeriesCache } from './series-cache';

type HistogramChild = ReturnType<Histogram<string>['labels']>;
type CounterChild = ReturnType<Counter<string>['labels']>;

/** The per-method part of a series: everything but outcome and exception. */
export interface MethodSeries {
  readonly className: string;
  readonly methodName: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Children of one method's series: the success child resolved now, once; failure children
 * on first use per exception name, then from a local map, so a call never builds labels.
 */
class MethodChildren<C> {
  private readonly failures = new Map<string, C>();
  readonly success: C | undefined;

  constructor(
    private readonly series: SeriesCache<C>,
    private readonly method: MethodSeries,
    private readonly create: (labels: Record<string, string>) => C,
    withSuccess = true,
  ) {
    this.success = withSuccess ? this.child('SUCCESS', NO_EXCEPTION) : undefined;
  }

  failure(err: unknown): C | undefined {
    const name = exceptionName(err);
    const hit = this.failures.get(name);
    if (hit !== undefined) return hit;
    const child = this.child('ERROR', name);
    if (child !== undefined) this.failures.set(name, child);
    return child;
  }

  private child(outcome: MethodOutcome, exception: string): C | undefined {
    const { className, methodName, labels } = this.method;
    const key = `${className}\u0000${methodName}\u0000${outcome}\u0000${exception}`;
    return this.series.get(key, () =>
      this.create({ ...labels, class: className, method: methodName, outcome, exception }),
    );
  }
}

export function timedLayer(
  histogram: Histogram<string>,
  series: SeriesCache<HistogramChild>,
  method: MethodSeries,
): (next: AnyFn, handler: DiscoveredMethod) => AnyFn {
  return (next) => {
    const children = new MethodChildren(series, method, (l) => histogram.labels(l));
    const success = children.success;
    const observer: CallObserver = {
      success: (seconds) => success?.observe(seconds),
      failure: (err, seconds) => children.failure(err)?.observe(seconds),
    };
    return instrument(next, observer);
  };
}

export function countedLayer(
  counter: Counter<string>,
  series: SeriesCache<CounterChild>,
  method: MethodSeries,
  failuresOnly: boolean,
): (next: AnyFn, handler: DiscoveredMethod) => AnyFn {
  return (next) => {
    const children = new MethodChildren(series, method, (l) => counter.labels(l), !failuresOnly);
    const success = children.success;
    const observer: CallObserver = {
      success: () => success?.inc(),
      failure: (err) => children.failure(err)?.inc(),
    };
    return instrument(next, observer);
  };
}
