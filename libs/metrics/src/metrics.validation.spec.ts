import { KeelConfigError } from '@keel/core';
import { register, Registry } from 'prom-client';
import { DEFAULT_BUCKETS } from './metrics.constants';
import type { MetricsModuleOptions } from './metrics.options';
import { isMetricName, resolveMetricsOptions } from './metrics.validation';

describe('resolveMetricsOptions', () => {
  it('fills defaults', () => {
    const r = resolveMetricsOptions({});
    expect(r.registry).toBe(register);
    expect(r).toMatchObject({
      defaultMetrics: true,
      httpMetrics: true,
      prefix: '',
      path: '/metrics',
      port: undefined,
      maxSeriesPerMetric: 1000,
      defaultLabels: {},
    });
    expect(r.buckets).toEqual(DEFAULT_BUCKETS);
    expect(r.buckets[0]).toBe(0.001);
    expect(r.buckets.at(-1)).toBe(30);
  });

  it('merges SLO boundaries into the buckets, sorted and unique', () => {
    const r = resolveMetricsOptions({ buckets: [1, 0.1], slo: [0.3, 0.1] });
    expect(r.buckets).toEqual([0.1, 0.3, 1]);
  });

  it('turns service, instance and commonLabels into default labels; adds `_` to a prefix', () => {
    const registry = new Registry();
    const r = resolveMetricsOptions({
      registry,
      service: 'payments',
      instance: 'i-1',
      commonLabels: { region: 'eu' },
      prefix: 'pay',
    });
    expect(r.registry).toBe(registry);
    expect(r.defaultLabels).toEqual({ region: 'eu', service: 'payments', instance: 'i-1' });
    expect(r.prefix).toBe('pay_');
    expect(resolveMetricsOptions({ prefix: 'pay_' }).prefix).toBe('pay_');
  });

  const bad: [string, MetricsModuleOptions][] = [
    ['registry', { registry: {} as Registry }],
    ['defaultMetrics', { defaultMetrics: 'yes' as unknown as boolean }],
    ['httpMetrics', { httpMetrics: 1 as unknown as boolean }],
    ['service', { service: '' }],
    ['commonLabels.bad-name', { commonLabels: { 'bad-name': 'x' } }],
    ['commonLabels.x', { commonLabels: { x: 3 as unknown as string } }],
    ['prefix', { prefix: '9lives' }],
    ['path', { path: 'metrics' }],
    ['path', { path: '/metrics?x=1' }],
    ['port', { port: 70_000 }],
    ['port', { port: 80.5 }],
    ['host', { host: '' }],
    ['buckets', { buckets: [] }],
    ['buckets', { buckets: [0.1, -1] }],
    ['slo', { slo: [Number.NaN] }],
    ['maxSeriesPerMetric', { maxSeriesPerMetric: 0 }],
  ];
  it.each(bad)('rejects a bad %s naming it', (option, options) => {
    expect(() => resolveMetricsOptions(options)).toThrow(KeelConfigError);
    expect(() => resolveMetricsOptions(options)).toThrow(`\`${option}\``);
  });

  it('shows the value with its type and hints at Number(...) for a numeric string', () => {
    expect(() => resolveMetricsOptions({ port: '9464' as unknown as number })).toThrow(
      'MetricsModule: `port` must be an integer from 0 to 65535, got "9464" (a string). ' +
        'Pass a number (port: 9464), not a string',
    );
  });

  it('rejects an unknown option with a did-you-mean', () => {
    expect(() => resolveMetricsOptions({ servce: 'payments' } as MetricsModuleOptions)).toThrow(
      'MetricsModule: unknown option "servce" (did you mean "service"?)',
    );
  });
});

describe('isMetricName', () => {
  it.each(['method_timed_seconds', 'a:b', '_x', 'X9'])('accepts %s', (name) =>
    expect(isMetricName(name)).toBe(true),
  );
  it.each(['9a', 'a-b', 'a.b', '', 'a b'])('rejects %s', (name) =>
    expect(isMetricName(name)).toBe(false),
  );
});
