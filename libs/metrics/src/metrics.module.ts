import { Inject, Module, type NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import { KeelCoreModule } from '@keel/core';
import { KeelModuleClaims } from '@keel/core/internal';
import { HttpExceptionInterceptor } from './http-exception.interceptor';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { RESOLVED_METRICS_OPTIONS } from './metrics.constants';
import { MetricsExplorer } from './metrics.explorer';
import { METRICS_MODULE_OPTIONS, MetricsConfigurableModule } from './metrics.module-definition';
import type { MetricsModuleOptions, ResolvedMetricsOptions } from './metrics.options';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';
import { resolveMetricsOptions } from './metrics.validation';

/**
 * Prometheus metrics: `/metrics`, @Timed, @Counted and HTTP server metrics.
 * `MetricsModule.forRoot({ service: 'payments' })` or `forRootAsync({ useFactory, inject })`;
 * global unless `isGlobal: false`.
 */
@Module({
  imports: [KeelCoreModule],
  providers: [
    {
      provide: RESOLVED_METRICS_OPTIONS,
      inject: [METRICS_MODULE_OPTIONS],
      useFactory: (options: MetricsModuleOptions) => resolveMetricsOptions(options),
    },
    MetricsService,
    MetricsExplorer,
    MetricsServer,
    HttpMetricsMiddleware,
    { provide: APP_INTERCEPTOR, useClass: HttpExceptionInterceptor },
  ],
  exports: [MetricsService],
})
export class MetricsModule extends MetricsConfigurableModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly http: HttpMetricsMiddleware,
    claims: KeelModuleClaims,
    @Inject(RESOLVED_METRICS_OPTIONS) options: ResolvedMetricsOptions,
  ) {
    super();
    const service = options.defaultLabels.service;
    claims.claim(
      'MetricsModule',
      service === undefined ? `path "${options.path}"` : `service "${service}"`,
      'every request would be counted twice and the service label taken from one of them',
    );
  }

  // Nest calls this only for HTTP apps, before it binds any route: the timer runs first.
  configure(): void {
    this.http.install(this.adapterHost.httpAdapter);
  }
}
