import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  HandlerDiscoveryService,
  KeelMethodRegistry,
  type DiscoveredMethod,
} from '@keel/core/internal';
import type { CountedMetadata } from './counted.decorator';
import { counterIn, histogramIn, type MetricSpec } from './metric-factory';
import { planMethodMetrics, type MetricPlan } from './method-metrics.plan';
import { countedLayer, timedLayer, type MethodSeries } from './method-metrics';
import { COUNTED_METADATA, RESOLVED_METRICS_OPTIONS, TIMED_METADATA } from './metrics.constants';
import type { ResolvedMetricsOptions } from './metrics.options';
import { MetricsService } from './metrics.service';
import type { TimedMetadata } from './timed.decorator';

const HELP = {
  timed: 'Time of method calls, by outcome and exception (Keel @Timed).',
  counted: 'Method calls, by outcome and exception (Keel @Counted).',
};

/** Finds @Timed and @Counted methods at start-up, creates their metrics and wraps each once. */
@Injectable()
export class MetricsExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly methods: KeelMethodRegistry,
    private readonly metrics: MetricsService,
    @Inject(RESOLVED_METRICS_OPTIONS) private readonly options: ResolvedMetricsOptions,
  ) {}

  onModuleInit(): void {
    // Plan everything first: a bad decorator fails the boot before anything is wrapped.
    const plans = new Map<string, MetricPlan>();
    const timed = planMethodMetrics(
      'timed',
      this.discovery.findMethods<TimedMetadata>(TIMED_METADATA),
      this.options,
      plans,
    );
    const counted = planMethodMetrics(
      'counted',
      this.discovery.findMethods<CountedMetadata>(COUNTED_METADATA),
      this.options,
      plans,
    );
    const registry = this.metrics.registry;
    const spec = (plan: MetricPlan): MetricSpec => ({
      name: plan.name,
      help: plan.help || HELP[plan.kind],
      labelNames: [...plan.labelNames],
    });

    for (const { handler, metric, labels } of timed) {
      const plan = plans.get(metric) as MetricPlan;
      const histogram = histogramIn(registry, { ...spec(plan), buckets: plan.buckets ?? [] });
      this.methods.addLayer(
        handler,
        timedLayer(histogram, this.metrics.seriesOf(metric), series(handler, labels)),
      );
    }
    for (const { handler, metric, labels } of counted) {
      const counter = counterIn(registry, spec(plans.get(metric) as MetricPlan));
      const failuresOnly = handler.metadata.failuresOnly ?? false;
      this.methods.addLayer(
        handler,
        countedLayer(counter, this.metrics.seriesOf(metric), series(handler, labels), failuresOnly),
      );
    }
  }
}

function series(handler: DiscoveredMethod, labels: Record<string, string>): MethodSeries {
  return { className: handler.className, methodName: handler.methodName, labels };
}
