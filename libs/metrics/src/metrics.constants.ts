export const TIMED_METADATA = 'keel:metrics:timed';
export const COUNTED_METADATA = 'keel:metrics:counted';

export const RESOLVED_METRICS_OPTIONS = Symbol('keel.metrics.resolved-options');
export const METRICS_ENDPOINT = Symbol('keel.metrics.endpoint');

/** Where an interceptor or exception filter leaves the thrown error's name for the HTTP timer. */
export const HTTP_EXCEPTION = Symbol('keel.metrics.http-exception');

/** 1 ms to 30 s: request handlers and the calls they make. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

export const DEFAULTS = {
  path: '/metrics',
  maxSeriesPerMetric: 1000,
} as const;

export const METRIC_NAMES = {
  timed: 'method_timed_seconds',
  counted: 'method_counted_total',
  http: 'http_server_requests_seconds',
} as const;

/** Label value of `exception` when nothing was thrown (Micrometer's). */
export const NO_EXCEPTION = 'none';
/** Label value of `route` for requests that matched no route (404s, probes of unknown paths). */
export const UNMATCHED_ROUTE = 'UNMATCHED';
