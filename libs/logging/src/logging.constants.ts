/** The app's pino logger and its resolved options (see LoggingRuntime). */
export const LOGGING_RUNTIME = Symbol('keel.logging.runtime');

export { REQUEST_ID_HEADER, TRACEPARENT_HEADER } from '@keel/core';

export const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const DEFAULT_CENSOR = '[Redacted]';
