import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Histogram } from 'prom-client';
import { recordedHttpException } from './http-exception';
import { histogramIn } from './metric-factory';
import {
  METRIC_NAMES,
  NO_EXCEPTION,
  RESOLVED_METRICS_OPTIONS,
  UNMATCHED_ROUTE,
} from './metrics.constants';
import { notExpressMessage } from './metrics.messages';
import type { ResolvedMetricsOptions } from './metrics.options';
import { MetricsService } from './metrics.service';
import { httpOutcome } from './outcome';
import type { SeriesCache } from './series-cache';

type Child = ReturnType<Histogram<string>['labels']>;

/** What Express adds to a request once a route matched. */
interface RoutedRequest extends IncomingMessage {
  route?: { path?: string | RegExp | readonly string[] };
  baseUrl?: string;
}

interface HttpAdapterLike {
  getType(): string;
  use(handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown;
}

// Anything else (WebDAV verbs, made-up methods) would be unbounded label input.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']);

/** Status label of a response the client abandoned before it was sent (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * http_server_requests_seconds{method,route,status,outcome,exception}: a plain Express
 * middleware ahead of every route, observing on `finish`, so 404s and guard rejections count.
 * `route` is the matched template (global prefix and controller path included), never the URL.
 */
@Injectable()
export class HttpMetricsMiddleware {
  private readonly logger = new Logger('KeelMetrics');
  private readonly histogram: Histogram<string> | undefined;
  private readonly series: SeriesCache<Child>;

  constructor(
    @Inject(RESOLVED_METRICS_OPTIONS) options: ResolvedMetricsOptions,
    metrics: MetricsService,
  ) {
    const name = options.prefix + METRIC_NAMES.http;
    this.series = metrics.seriesOf<Child>(name);
    if (!options.httpMetrics) return;
    this.histogram = histogramIn(metrics.registry, {
      name,
      help: 'HTTP server requests by method, route template, status, outcome and exception.',
      labelNames: ['method', 'route', 'status', 'outcome', 'exception'],
      buckets: options.buckets,
    });
  }

  /** Puts the middleware ahead of every route; called before Nest binds them. */
  install(adapter: HttpAdapterLike | undefined): void {
    if (!this.histogram || !adapter) return;
    const type = adapter.getType();
    if (type !== 'express') {
      this.logger.warn(notExpressMessage(type));
      return;
    }
    adapter.use(this.use);
  }

  readonly use = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const start = performance.now();
    let done = false;
    const record = (): void => {
      if (done) return;
      done = true;
      this.observe(req, res, (performance.now() - start) / 1000);
    };
    res.once('finish', record);
    // 'close' without 'finish': the client went away before the response was sent.
    res.once('close', record);
    next();
  };

  private observe(
    req: IncomingMessage & RoutedRequest,
    res: ServerResponse,
    seconds: number,
  ): void {
    const method = req.method && METHODS.has(req.method) ? req.method : 'OTHER';
    const route = routeOf(req);
    const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_STATUS;
    const exception = recordedHttpException(res) ?? NO_EXCEPTION;
    const key = `${method} ${route} ${status} ${exception}`;
    const child = this.series.get(key, () =>
      (this.histogram as Histogram<string>).labels({
        method,
        route,
        status: String(status),
        outcome: httpOutcome(status),
        exception,
      }),
    );
    child?.observe(seconds);
  }
}

// Nest 12 answers an unmatched request under a global prefix from a route of its own: `*path` on
// a router mounted at the prefix (no leading slash; a controller's routes always have one).
const NEST_NOT_FOUND_PATH = '*path';

/** The matched route's template, as Express has it; UNMATCHED when no route matched. */
function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  if (path === undefined || path === NEST_NOT_FOUND_PATH) return UNMATCHED_ROUTE;
  return (req.baseUrl ?? '') + (typeof path === 'string' ? path : String(path));
}
