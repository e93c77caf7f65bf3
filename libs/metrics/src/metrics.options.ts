import type { Registry } from 'prom-client';

export interface MetricsModuleOptions {
  /** prom-client registry for every metric. Default: prom-client's global `register`. */
  registry?: Registry;
  /** Node.js process metrics (CPU, memory, event loop, GC). Default true. */
  defaultMetrics?: boolean;
  /** `service` label on every metric of the registry. */
  service?: string;
  /** `instance` label on every metric of the registry. */
  instance?: string;
  /** More labels on every metric of the registry. */
  commonLabels?: Record<string, string>;
  /** Prefix of the metrics Keel creates (`payments` → `payments_method_timed_seconds`). */
  prefix?: string;
  /** Path of the scrape endpoint. Default `/metrics`. */
  path?: string;
  /** Serve the scrape endpoint on its own HTTP server on this port (and not on the app's). */
  port?: number;
  /** Address of that server. Default: all interfaces. */
  host?: string;
  /** Histogram buckets in seconds of Keel's timers. Default 1 ms … 30 s. */
  buckets?: number[];
  /** SLO boundaries in seconds, merged into `buckets` so `le="<slo>"` is exact. */
  slo?: number[];
  /** `http_server_requests_seconds` for every HTTP request (Express). Default true. */
  httpMetrics?: boolean;
  /** Label sets a metric may have; new ones past it are dropped with one warning. Default 1000. */
  maxSeriesPerMetric?: number;
}

export interface ResolvedMetricsOptions {
  readonly registry: Registry;
  readonly defaultMetrics: boolean;
  readonly defaultLabels: Readonly<Record<string, string>>;
  /** Empty, or ends with `_`. */
  readonly prefix: string;
  readonly path: string;
  readonly port: number | undefined;
  readonly host: string | undefined;
  readonly buckets: readonly number[];
  readonly httpMetrics: boolean;
  readonly maxSeriesPerMetric: number;
}
