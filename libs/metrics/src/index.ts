// The whole public API of @keel/metrics.
export { MetricsModule } from './metrics.module';
export { METRICS_ASYNC_OPTIONS_TYPE, METRICS_OPTIONS_TYPE } from './metrics.module-definition';
export type { MetricsModuleOptions } from './metrics.options';
export { MetricsService } from './metrics.service';
export { Timed, type TimedOptions } from './timed.decorator';
export { Counted, type CountedOptions } from './counted.decorator';
export { recordHttpException } from './http-exception';
export { httpOutcome, exceptionName, type HttpOutcome, type MethodOutcome } from './outcome';
export { DEFAULT_BUCKETS, METRIC_NAMES, NO_EXCEPTION, UNMATCHED_ROUTE } from './metrics.constants';
