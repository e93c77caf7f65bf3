import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KeelConfigError } from '@keel/core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_ENDPOINT, RESOLVED_METRICS_OPTIONS } from './metrics.constants';
import type { MetricsEndpoint } from './metrics.controller';
import { portInUseMessage } from './metrics.messages';
import type { ResolvedMetricsOptions } from './metrics.options';
import { MetricsService } from './metrics.service';

/**
 * Serves the scrape endpoint: on the app's port through the controller, or, with `port`, on
 * a server of its own that lives from bootstrap to shutdown (apps without HTTP can use it).
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    @Inject(RESOLVED_METRICS_OPTIONS) private readonly options: ResolvedMetricsOptions,
    @Inject(METRICS_ENDPOINT) endpoint: MetricsEndpoint,
    private readonly metrics: MetricsService,
  ) {
    endpoint.bind(metrics, options.port === undefined ? options.path : undefined);
  }

  /** The port of the own server once listening (useful with `port: 0`). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.options;
    if (port === undefined || this.server) return;
    const server = createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new KeelConfigError(portInUseMessage(port, host, err.message), { cause: err })),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.options.path || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found\n');
      return;
    }
    this.metrics.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(body),
      (err: unknown) =>
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(err)}\n`),
    );
  }
}
