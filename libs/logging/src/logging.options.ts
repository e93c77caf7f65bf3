import type { DestinationStream, Level } from 'pino';

export type LogLevel = Level | 'silent';

export interface RedactOptions {
  /** The payment presets (card data, secrets, auth headers). Default true. */
  presets?: boolean;
  /** More keys to censor at any depth, matched like the presets (case, `_` and `-` ignored). */
  keys?: string[];
  /** More explicit pino redact paths (e.g. `'payload.customer.taxId'`). Avoid `*` wildcards: they are slow. */
  paths?: string[];
  /** Mask Luhn-valid card numbers inside messages and string values. Default true. */
  cardNumbersInText?: boolean;
  /** What a censored value becomes. Default `'[Redacted]'`. */
  censor?: string;
}

export interface HttpLoggingOptions {
  /** Log one line per finished request (pino-http). Default true. */
  autoLogging?: boolean;
  /** Paths (exact, or prefixes ending in `/*`) whose finished requests are not logged, e.g. `/health`. */
  ignorePaths?: string[];
  /** Header read and echoed as the request id. Default `x-request-id`. */
  requestIdHeader?: string;
}

export interface LoggingModuleOptions {
  /** Default: the `LOG_LEVEL` environment variable, else `'info'`. */
  level?: LogLevel;
  /** Written as `service` on every line. */
  service?: string;
  /** More fields on every line (e.g. `{ env: 'prod', version: '1.4.2' }`). */
  base?: Record<string, unknown>;
  /** Where lines go: a stream, a file descriptor or a file path. Default stdout. */
  destination?: DestinationStream | number | string;
  /** Human-readable output through pino-pretty (a dev dependency); ignored in production. */
  pretty?: boolean;
  /** What is censored; the payment presets are on by default. */
  redact?: RedactOptions;
  /** Request context and request logs for HTTP; `false` turns the middleware off. */
  http?: HttpLoggingOptions | false;
}

/** Options after validation and defaults. */
export interface ResolvedLoggingOptions {
  level: LogLevel;
  service: string | undefined;
  base: Record<string, unknown>;
  destination: DestinationStream | number | string | undefined;
  pretty: boolean;
  redact: Required<RedactOptions>;
  http: Required<HttpLoggingOptions> | false;
  /** Said once the logger exists (e.g. pretty ignored in production). */
  warnings: string[];
}
