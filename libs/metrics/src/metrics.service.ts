import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import { RESOLVED_METRICS_OPTIONS } from './metrics.constants';
import { cardinalityCapMessage } from './metrics.messages';
import type { ResolvedMetricsOptions } from './metrics.options';
import { SeriesCache } from './series-cache';

// A metric collectDefaultMetrics always registers: its presence means they are on already.
const DEFAULT_METRICS_MARKER = 'process_cpu_user_seconds_total';

/** The app's metrics registry: what /metrics serves, and where Keel's metrics live. */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger('KeelMetrics');
  private readonly series = new Map<string, SeriesCache<unknown>>();
  readonly registry: Registry;

  constructor(@Inject(RESOLVED_METRICS_OPTIONS) private readonly options: ResolvedMetricsOptions) {
    this.registry = options.registry;
    if (Object.keys(options.defaultLabels).length > 0) {
      this.registry.setDefaultLabels({ ...options.defaultLabels });
    }
    if (options.defaultMetrics && !this.registry.getSingleMetric(DEFAULT_METRICS_MARKER)) {
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** Content-Type of `metrics()` (Prometheus text format). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The registry in Prometheus text format, as a scrape sees it. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** @internal The capped children of one metric, shared by everything that observes it. */
  seriesOf<C>(metricName: string): SeriesCache<C> {
    let cache = this.series.get(metricName) as SeriesCache<C> | undefined;
    if (!cache) {
      cache = new SeriesCache<C>(metricName, this.options.maxSeriesPerMetric, (name, max) =>
        this.logger.warn(cardinalityCapMessage(name, max)),
      );
      this.series.set(metricName, cache);
    }
    return cache;
  }
}
