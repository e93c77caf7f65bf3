import type { Logger } from 'pino';
import type { Params } from 'nestjs-pino';
import type { ResolvedLoggingOptions } from './logging.options';
import { createKeelPino, createRedactor } from './pino.factory';
import type { Redactor } from './redactor';

/** What one app's LoggingModule holds: its options, its redactor and its pino logger. */
export interface LoggingRuntime {
  options: ResolvedLoggingOptions;
  redactor: Redactor;
  logger: Logger;
}

export function createLoggingRuntime(options: ResolvedLoggingOptions): LoggingRuntime {
  const redactor = createRedactor(options);
  return { options, redactor, logger: createKeelPino(options, redactor) };
}

/**
 * nestjs-pino's params: our logger, and no routes for its own middleware. Ours sets core's
 * context first and then runs pino-http, so nestjs-pino's per-request logger is not needed:
 * the context reaches every line through the mixin.
 */
export function nestjsPinoParams(runtime: LoggingRuntime): Params {
  return { pinoHttp: { logger: runtime.logger }, useExisting: true, forRoutes: [] };
}
