import type { Metric, Registry } from 'prom-client';
import { KeelConfigError } from './core.errors';

// Counters and histogram children that Keel updates per lock cycle or per message. They live in
// the app's prom-client registry and print like prom-client's own; an update is a plain add,
// where prom-client's child re-validates and re-hashes its labels each time (~0.3-0.4 µs, a
// visible share of a lock cycle or of handling a message).

type Labels = Record<string, string>;

interface Sample {
  labels: Labels | Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface Collected {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Sample[];
}

const BRAND = Symbol.for('keel.fast-metric');

abstract class FastMetric<C> {
  readonly [BRAND] = true;
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  private readonly series = new Map<string, { labels: Labels; child: C }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The series for these label values (in `labelNames` order); keep it to update it cheaply. */
  labels(...values: string[]): C {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      if (values.length !== this.labelNames.length) {
        throw new KeelConfigError(
          `${this.name}: expected labels ${this.labelNames.join(', ')}, got ${values.length} values`,
        );
      }
      const labels: Labels = {};
      this.labelNames.forEach((n, i) => (labels[n] = String(values[i])));
      s = { labels, child: this.newChild() };
      this.series.set(key, s);
    }
    return s.child;
  }

  /** prom-client's registry calls this at scrape time. */
  get(): Promise<Collected> {
    const values: Sample[] = [];
    for (const { labels, child } of this.series.values()) this.collect(labels, child, values);
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: 'sum',
      values,
    });
  }

  /** Zeroes every series; children already handed out stay valid. */
  reset(): void {
    for (const { child } of this.series.values()) this.zero(child);
  }

  protected abstract newChild(): C;
  protected abstract zero(child: C): void;
  protected abstract collect(labels: Labels, child: C, out: Sample[]): void;
}

export class FastCounterChild {
  value = 0;

  inc(n = 1): void {
    if (!(n >= 0)) throw new RangeError(`a counter only goes up, got ${n}`);
    this.value += n;
  }
}

/** A counter: `labels(...)` once, then `inc()` on the child. */
export class FastCounter extends FastMetric<FastCounterChild> {
  readonly type = 'counter';

  protected newChild(): FastCounterChild {
    return new FastCounterChild();
  }

  protected zero(child: FastCounterChild): void {
    child.value = 0;
  }

  protected collect(labels: Labels, child: FastCounterChild, out: Sample[]): void {
    out.push({ labels: { ...labels }, value: child.value });
  }
}

export class FastHistogramChild {
  sum = 0;
  count = 0;
  /** Per bucket, not cumulative; the last slot is +Inf. */
  readonly counts: Float64Array;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite observation: ${value}`);
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram with fixed buckets: `labels(...)` once, then `observe()` on the child. */
export class FastHistogram extends FastMetric<FastHistogramChild> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: number[]) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  protected newChild(): FastHistogramChild {
    return new FastHistogramChild(this.buckets);
  }

  protected zero(child: FastHistogramChild): void {
    child.counts.fill(0);
    child.sum = 0;
    child.count = 0;
  }

  protected collect(labels: Labels, child: FastHistogramChild, out: Sample[]): void {
    let acc = 0;
    this.buckets.forEach((le, i) => {
      acc += child.counts[i];
      out.push({ labels: { le, ...labels }, value: acc, metricName: `${this.name}_bucket` });
    });
    out.push({
      labels: { le: '+Inf', ...labels },
      value: child.count,
      metricName: `${this.name}_bucket`,
    });
    out.push({ labels: { ...labels }, value: child.sum, metricName: `${this.name}_sum` });
    out.push({ labels: { ...labels }, value: child.count, metricName: `${this.name}_count` });
  }
}

/**
 * The metric named `metric.name` in `registry`: the one already there when it is a Keel fast
 * metric of the same type (several apps in one process share a registry), else `metric`,
 * registered now. A same-named metric of another kind is a configuration error.
 */
export function registerFastMetric<M extends FastCounter | FastHistogram>(
  registry: Registry,
  metric: M,
): M {
  const existing = registry.getSingleMetric(metric.name) as unknown;
  if (existing === undefined) {
    registry.registerMetric(metric as unknown as Metric);
    return metric;
  }
  const same =
    typeof existing === 'object' &&
    existing !== null &&
    BRAND in existing &&
    (existing as unknown as { type: string }).type === metric.type;
  if (!same) {
    throw new KeelConfigError(
      `metric ${metric.name} is already registered as something else in this registry`,
    );
  }
  return existing as M;
}
