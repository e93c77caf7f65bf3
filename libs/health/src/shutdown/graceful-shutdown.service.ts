import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { RESOLVED_HEALTH_OPTIONS } from '../health.constants';
import type { ResolvedHealthOptions } from '../health.options';
import { HealthState } from '../health-state.service';

/**
 * Shutdown in the order a load balancer needs. Nest runs, on SIGTERM: onModuleDestroy,
 * beforeApplicationShutdown, closing HTTP, onApplicationShutdown. Here: readiness turns 503 in
 * the first step; the drain wait and the HTTP close (no new connections, in-flight requests
 * finish within a bound) happen in the second, so connections closed in onApplicationShutdown
 * outlive every request.
 */
@Injectable()
export class GracefulShutdown
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('GracefulShutdown');
  private server: Server | undefined;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly state: HealthState,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(RESOLVED_HEALTH_OPTIONS) private readonly options: ResolvedHealthOptions,
  ) {}

  get requestsInFlight(): number {
    return this.inFlight;
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || typeof server.on !== 'function') return; // an application context: no HTTP
    this.server = server;
    server.on('request', (_req, res) => {
      this.inFlight++;
      res.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
      });
    });
  }

  onModuleDestroy(): void {
    this.state.advance('draining');
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.state.advance('draining');
    // app.close() without a signal (tests, scripts) skips the wait: nobody routes traffic here
    if (signal && this.options.drainMs > 0) {
      this.logger.log(`${signal}: readiness is 503; draining for ${this.options.drainMs} ms`);
      await new Promise((r) => setTimeout(r, this.options.drainMs));
    }
    this.state.advance('stopping');
    await this.closeHttp();
  }

  private async closeHttp(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    server.close(); // stop accepting; Nest's own close later finds it closed
    server.closeIdleConnections();
    if (this.inFlight > 0) {
      this.logger.log(`waiting for ${this.inFlight} request(s) in flight`);
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), this.options.shutdownTimeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!finished) {
        this.logger.warn(
          `${this.inFlight} request(s) still running after ${this.options.shutdownTimeoutMs} ms; closing their connections`,
        );
      }
    }
    server.closeAllConnections();
  }
}
