import { KeelConfigError } from '@keel/core';
import { type DiscoveredMethod } from '@keel/core/internal';
import type { CountedMetadata } from './counted.decorator';
import { planMethodMetrics, type MetricPlan } from './method-metrics.plan';
import { resolveMetricsOptions } from './metrics.validation';
import type { TimedMetadata } from './timed.decorator';

const options = resolveMetricsOptions({ prefix: 'app' });

function handler<T>(methodName: string, metadata: T): DiscoveredMethod<T> {
  class Payments {}
  return {
    instance: new Payments(),
    classRef: Payments,
    className: 'Payments',
    methodName,
    metadataKey: 'k',
    metadata,
    isController: false,
    paramTypes: undefined,
    arity: 0,
  };
}

describe('planMethodMetrics', () => {
  it('groups methods by prefixed metric name with the union of their static labels', () => {
    const plans = new Map<string, MetricPlan>();
    const out = planMethodMetrics<TimedMetadata>(
      'timed',
      [handler('a', { labels: { kind: 'card' } }), handler('b', { labels: { region: 'eu' } })],
      options,
      plans,
    );
    expect(out.map((m) => m.metric)).toEqual([
      'app_method_timed_seconds',
      'app_method_timed_seconds',
    ]);
    const plan = plans.get('app_method_timed_seconds') as MetricPlan;
    expect([...plan.labelNames]).toEqual([
      'class',
      'method',
      'outcome',
      'exception',
      'kind',
      'region',
    ]);
    expect(plan.buckets).toEqual(options.buckets);
  });

  const bad: [string, TimedMetadata, RegExp][] = [
    ['a bad name', { name: 'a.b' }, /@Timed on Payments\.run\(\): metric name "a\.b"/],
    ['a bad label name', { labels: { 'x-y': '1' } }, /label name "x-y"/],
    ['a label Keel sets', { labels: { outcome: 'x' } }, /label "outcome" is set by Keel/],
    ['a non-string label value', { labels: { x: 1 as unknown as string } }, /string value/],
    ['bad buckets', { buckets: [-1] }, /buckets/],
  ];
  it.each(bad)('fails the boot on %s, naming class and method', (_what, meta, message) => {
    const run = (): unknown =>
      planMethodMetrics('timed', [handler('run', meta)], options, new Map());
    expect(run).toThrow(KeelConfigError);
    expect(run).toThrow(message);
  });

  it('rejects one metric name with two bucket layouts, or as both timer and counter', () => {
    const plans = new Map<string, MetricPlan>();
    expect(() =>
      planMethodMetrics<TimedMetadata>(
        'timed',
        [handler('a', { name: 'x_seconds' }), handler('b', { name: 'x_seconds', buckets: [1] })],
        options,
        plans,
      ),
    ).toThrow(/other buckets/);
    expect(() =>
      planMethodMetrics<CountedMetadata>(
        'counted',
        [handler('c', { name: 'x_seconds' })],
        options,
        plans,
      ),
    ).toThrow(/used by @Timed too/);
  });
});
