// The whole public API of @keel/logging.
export { LoggingModule } from './logging.module';
export { LOGGING_ASYNC_OPTIONS_TYPE, LOGGING_OPTIONS_TYPE } from './logging.module-definition';
export type {
  HttpLoggingOptions,
  LoggingModuleOptions,
  LogLevel,
  RedactOptions,
} from './logging.options';
export { useKeelLogger } from './app-logger';
export {
  contextFromHeaders,
  getParentSpanId,
  outgoingTraceHeaders,
  runWithLogContext,
  runWithTraceContext,
  sanitizeRequestId,
  type HeaderBag,
  type HeaderValue,
  type IncomingTraceContext,
  type OutgoingTraceHeaders,
} from './trace-context';
// the card-number helpers live in core (request ids are checked wherever they come in)
export { luhnValid, maskCardNumbers } from '@keel/core';
// nestjs-pino's injectables, so apps import their logger from one place.
export { InjectPinoLogger, Logger, LoggerErrorInterceptor, PinoLogger } from 'nestjs-pino';
