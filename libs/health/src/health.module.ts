import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KeelCoreModule } from '@keel/core';
import { RESOLVED_HEALTH_OPTIONS } from './health.constants';
import { healthControllerFor } from './health.controller';
import { HealthChecks } from './health-checks.service';
import {
  HEALTH_ASYNC_OPTIONS_TYPE,
  HEALTH_MODULE_OPTIONS,
  HEALTH_OPTIONS_TYPE,
  HealthConfigurableModule,
} from './health.module-definition';
import type { HealthModuleOptions } from './health.options';
import { HealthState } from './health-state.service';
import { resolveHealthOptions } from './health.validation';
import { KafkaHealthIndicator } from './indicators/kafka.health';
import { RedisHealthIndicator } from './indicators/redis.health';
import { GracefulShutdown } from './shutdown/graceful-shutdown.service';

/**
 * Liveness, readiness and ordered graceful shutdown on @nestjs/terminus.
 * `HealthModule.forRoot({ redis, kafka, typeorm: true })`; the route path is a static option
 * (`path`, default `health`) so it is known before async options resolve.
 */
@Module({
  // KeelCoreModule: its boot check catches Keel decorators whose module is missing.
  // Terminus' own failure log is multi-line box art; the controller logs one structured line.
  imports: [KeelCoreModule, TerminusModule.forRoot({ logger: false })],
  providers: [
    {
      provide: RESOLVED_HEALTH_OPTIONS,
      inject: [HEALTH_MODULE_OPTIONS],
      useFactory: (options: HealthModuleOptions) => resolveHealthOptions(options),
    },
    HealthState,
    HealthChecks,
    RedisHealthIndicator,
    KafkaHealthIndicator,
    GracefulShutdown,
  ],
  exports: [HealthChecks, HealthState, RedisHealthIndicator, KafkaHealthIndicator],
})
export class HealthModule extends HealthConfigurableModule {
  static override forRoot(options: typeof HEALTH_OPTIONS_TYPE): DynamicModule {
    return withController(super.forRoot(options), options.path);
  }

  static override forRootAsync(
    options: typeof HEALTH_ASYNC_OPTIONS_TYPE & { path?: string },
  ): DynamicModule {
    return withController(super.forRootAsync(options), options.path);
  }
}

function withController(module: DynamicModule, path = 'health'): DynamicModule {
  const clean = path.replace(/^\/+|\/+$/g, '') || 'health';
  return { ...module, controllers: [...(module.controllers ?? []), healthControllerFor(clean)] };
}
