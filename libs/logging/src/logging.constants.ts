/** The app's pino logger and its resolved options (see LoggingRuntime). */
export const LOGGING_RUNTIME = Symbol('keel.logging.runtime');

/** Where the parent span id of an incoming request lives in core's context. */
export const PARENT_SPAN_SLOT = Symbol('keel.logging.parentSpanId');

export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

export const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const DEFAULT_CENSOR = '[Redacted]';
