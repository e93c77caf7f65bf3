import { Counter, Histogram, Registry } from 'prom-client';
import { KeelConfigError } from './core.errors';
import { FastCounter, FastHistogram, registerFastMetric } from './fast-metrics';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const VALUES = [0, 0.0005, 0.001, 0.004, 0.01, 0.2, 0.99, 1, 5, 40];

describe('fast metrics', () => {
  it('print exactly what prom-client prints for the same observations', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const h = new Histogram({
      name: 'x_seconds',
      help: 'h',
      labelNames: ['name'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const c = new Counter({
      name: 'x_total',
      help: 'c',
      labelNames: ['name', 'r'],
      registers: [theirs],
    });
    const fh = registerFastMetric(ours, new FastHistogram('x_seconds', 'h', ['name'], BUCKETS));
    const fc = registerFastMetric(ours, new FastCounter('x_total', 'c', ['name', 'r']));
    for (const v of VALUES) {
      h.labels('a').observe(v);
      fh.labels('a').observe(v);
    }
    h.labels('b').observe(0.05);
    fh.labels('b').observe(0.05);
    c.labels('a', 'ok').inc(3);
    fc.labels('a', 'ok').inc(3);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('reset zeroes every series and keeps handed-out children working', async () => {
    const reg = new Registry();
    const c = registerFastMetric(reg, new FastCounter('y_total', 'c', ['k']));
    const child = c.labels('v');
    child.inc(2);
    reg.resetMetrics();
    child.inc();
    expect((await c.get()).values).toEqual([{ labels: { k: 'v' }, value: 1 }]);
  });

  it('reuses the same-named metric of a registry and refuses one of another kind', () => {
    const reg = new Registry();
    const first = registerFastMetric(reg, new FastCounter('z_total', 'c', ['k']));
    expect(registerFastMetric(reg, new FastCounter('z_total', 'c', ['k']))).toBe(first);
    expect(() => registerFastMetric(reg, new FastHistogram('z_total', 'h', ['k'], [1]))).toThrow(
      KeelConfigError,
    );
    new Counter({ name: 'w_total', help: 'w', registers: [reg] });
    expect(() => registerFastMetric(reg, new FastCounter('w_total', 'c', []))).toThrow(
      /already registered as something else/,
    );
  });

  it('rejects a wrong number of label values, a negative increment and a non-finite value', () => {
    const c = new FastCounter('q_total', 'c', ['a', 'b']);
    expect(() => c.labels('only-one')).toThrow(/expected labels a, b/);
    expect(() => c.labels('1', '2').inc(-1)).toThrow(RangeError);
    const h = new FastHistogram('q_seconds', 'h', ['a'], [1]);
    expect(() => h.labels('1').observe(NaN)).toThrow(RangeError);
  });
});
