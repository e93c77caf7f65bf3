import { Controller, RequestMethod, Res, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { ServerResponse } from 'node:http';
import type { MetricsService } from './metrics.service';

/** The scrape controller of one MetricsModule instance, and how to point it at a registry. */
export interface MetricsEndpoint {
  readonly controller: Type<PrometheusController>;
  /**
   * Binds the controller to `service` and sets its route: `path` on the app's port, or no
   * route at all (`undefined`) when metrics have their own port. Must run before Nest binds
   * routes, i.e. while providers are created.
   */
  bind(service: MetricsService, path: string | undefined): void;
}

export function createMetricsEndpoint(): MetricsEndpoint {
  let bound: MetricsService | undefined;

  // PrometheusModule's own controller serves prom-client's global registry; ours serves the
  // module's registry (a test's private one, say).
  @Controller()
  class KeelMetricsController extends PrometheusController {
    override async index(@Res({ passthrough: true }) response: unknown): Promise<string> {
      const service = bound as MetricsService;
      (response as ServerResponse).setHeader('Content-Type', service.contentType);
      return service.metrics();
    }
  }

  return {
    controller: KeelMetricsController,
    bind(service, path) {
      bound = service;
      const handler = Reflect.get(KeelMetricsController.prototype, 'index') as object;
      if (path === undefined) {
        Reflect.deleteMetadata(METHOD_METADATA, handler);
        Reflect.deleteMetadata(PATH_METADATA, handler);
        return;
      }
      Reflect.defineMetadata(PATH_METADATA, path, KeelMetricsController);
      Reflect.defineMetadata(PATH_METADATA, '/', handler);
      Reflect.defineMetadata(METHOD_METADATA, RequestMethod.GET, handler);
    },
  };
}
