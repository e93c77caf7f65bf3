import {
  Global,
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { KeelCoreModule } from '@keel/core';
import { KeelPinoLogger } from './keel-pino.logger';
import { LOGGING_RUNTIME } from './logging.constants';
import {
  LOGGING_ASYNC_OPTIONS_TYPE,
  LOGGING_MODULE_OPTIONS,
  LOGGING_OPTIONS_TYPE,
  LoggingConfigurableModule,
} from './logging.module-definition';
import type { LoggingModuleOptions } from './logging.options';
import { createLoggingRuntime, nestjsPinoParams, type LoggingRuntime } from './logging.runtime';
import { resolveLoggingOptions } from './logging.validation';
import { RequestContextMiddleware } from './request-context.middleware';

// Built per forRoot call, not at import time: nestjs-pino collects @InjectPinoLogger contexts
// as classes load and turns them into providers here.
function withNestjsPino(module: DynamicModule): DynamicModule {
  const pino = LoggerModule.forRootAsync({
    inject: [LOGGING_RUNTIME],
    useFactory: (runtime: LoggingRuntime) => nestjsPinoParams(runtime),
    providers: [{ provide: PinoLogger, useClass: KeelPinoLogger }],
  });
  // KeelCoreModule: its boot check catches Keel decorators whose module is missing.
  return { ...module, imports: [...(module.imports ?? []), KeelCoreModule, pino] };
}

/**
 * pino JSON logs with request/trace context and payment redaction, on nestjs-pino.
 * `LoggingModule.forRoot({ service: 'payments' })` or `forRootAsync({ useFactory, inject })`.
 * Global, like nestjs-pino's LoggerModule: inject `Logger`/`PinoLogger` anywhere.
 */
@Global()
@Module({
  providers: [
    {
      provide: LOGGING_RUNTIME,
      inject: [LOGGING_MODULE_OPTIONS],
      useFactory: (options: LoggingModuleOptions) =>
        createLoggingRuntime(resolveLoggingOptions(options)),
    },
    RequestContextMiddleware,
  ],
  exports: [LOGGING_RUNTIME],
})
export class LoggingModule
  extends LoggingConfigurableModule
  implements NestModule, OnApplicationShutdown
{
  constructor(
    @Inject(LOGGING_RUNTIME) private readonly runtime: LoggingRuntime,
    private readonly adapterHost: HttpAdapterHost,
    private readonly requestContext: RequestContextMiddleware,
  ) {
    super();
  }

  static override forRoot(options: typeof LOGGING_OPTIONS_TYPE = {}): DynamicModule {
    return withNestjsPino(super.forRoot(options));
  }

  static override forRootAsync(options: typeof LOGGING_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withNestjsPino(super.forRootAsync(options));
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.runtime.options.http === false) return;
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (adapter?.getType() === 'express') {
      // A plain `app.use`, ahead of every route: mounted through the consumer, Express would
      // see a catch-all route and set `req.route` on requests that match none (metrics would
      // label them "/{*path}" instead of UNMATCHED).
      adapter.use(this.requestContext.use.bind(this.requestContext));
      return;
    }
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }

  onApplicationShutdown(): void {
    this.runtime.logger.flush();
  }
}
