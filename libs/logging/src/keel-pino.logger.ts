import { Inject, Injectable, Scope } from '@nestjs/common';
import { assignContext, KeelError } from '@keel/core';
import { PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import type { Bindings, Logger } from 'pino';

/**
 * nestjs-pino's PinoLogger bound to this app's pino logger. nestjs-pino keeps the first logger
 * it ever sees in a module variable, so a second app in the same process (tests, workers)
 * would log into the first one's destination; this one always uses its own app's.
 *
 * Keel turns nestjs-pino's own request middleware off (its context is Keel's, shared with
 * Kafka handlers and jobs), so `assign` adds to Keel's context.
 */
@Injectable({ scope: Scope.TRANSIENT })
export class KeelPinoLogger extends PinoLogger {
  private readonly appLogger: Logger;

  constructor(@Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(params);
    const pinoHttp = params.pinoHttp;
    if (pinoHttp === undefined || Array.isArray(pinoHttp) || !('logger' in pinoHttp)) {
      throw new Error('KeelPinoLogger needs nestjs-pino params with pinoHttp.logger');
    }
    this.appLogger = pinoHttp.logger as Logger;
  }

  override get logger(): Logger {
    return this.appLogger;
  }

  /** Adds fields to every later line of the current request, message or runWithLogContext. */
  override assign(fields: Bindings): void {
    if (!assignContext(fields)) {
      throw new KeelError(
        'PinoLogger.assign() was called outside a request or a Kafka message, so there is no ' +
          'context to add fields to. Wrap the work in runWithLogContext(fields, fn) from @keel/logging.',
        { code: 'KEEL_LOG_NO_CONTEXT' },
      );
    }
  }
}
