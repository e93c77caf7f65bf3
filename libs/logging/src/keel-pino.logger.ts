import { Inject, Injectable, Scope } from '@nestjs/common';
import { PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino's PinoLogger bound to this app's pino logger. nestjs-pino keeps the first logger
 * it ever sees in a module variable, so a second app in the same process (tests, workers)
 * would log into the first one's destination; this one always uses its own app's.
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
}
