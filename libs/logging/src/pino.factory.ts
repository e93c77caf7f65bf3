import { hostname } from 'node:os';
import { KeelConfigError } from '@keel/core';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { contextMixin } from './log-context.mixin';
import type { ResolvedLoggingOptions } from './logging.options';
import { PRESET_PATHS } from './redaction.presets';
import { Redactor } from './redactor';
import { SensitiveKeys } from './sensitive-keys';

export function createRedactor(options: ResolvedLoggingOptions): Redactor {
  const { presets, keys, cardNumbersInText, censor } = options.redact;
  return new Redactor({
    keys: presets || keys.length > 0 ? new SensitiveKeys({ presets, extraKeys: keys }) : null,
    cardNumbers: cardNumbersInText,
    censor,
  });
}

/** pino-http's req/res/err arrive already mapped to plain objects (url, headers, status). */
export function httpSerializers(
  redactor: Redactor,
): Record<'err' | 'req' | 'res', (value: unknown) => unknown> {
  const redact = (value: unknown): unknown => redactor.value(value);
  const req = (value: unknown): unknown => {
    // `params` of a middleware mounted on every path is always the same wildcard capture: noise
    const { params: _params, ...rest } = value as Record<string, unknown>;
    return redactor.value(rest);
  };
  return { err: redact, req, res: redact };
}

function errorMessage(arg: unknown): string | undefined {
  if (arg instanceof Error) return arg.message;
  if (typeof arg === 'object' && arg !== null && !('msg' in arg)) {
    const err = (arg as { err?: unknown }).err;
    if (err instanceof Error) return err.message;
  }
  return undefined;
}

const stdErr = pino.stdSerializers.err as (value: unknown) => unknown;

/**
 * pino options: context through `mixin`, pino's compiled redaction for the explicit paths,
 * and the Redactor in one pass over each line's object (`formatters.log`) and its message
 * arguments (`hooks.logMethod`). Both are skipped when redaction is turned off.
 */
export function keelPinoOptions(
  options: ResolvedLoggingOptions,
  redactor: Redactor,
): LoggerOptions {
  const { presets, paths, censor } = options.redact;
  const redactPaths = [...(presets ? PRESET_PATHS : []), ...paths];
  const base: Record<string, unknown> = {
    pid: process.pid,
    hostname: hostname(),
    ...options.base,
  };
  if (options.service !== undefined) base.service = options.service;
  const pinoOptions: LoggerOptions = {
    level: options.level,
    base,
    mixin: contextMixin,
    // error messages and stacks can quote a card number
    serializers: { err: (value: unknown) => redactor.value(stdErr(value)) },
    redact: redactPaths.length > 0 ? { paths: redactPaths, censor } : undefined,
  };
  if (redactor.active) {
    pinoOptions.formatters = { log: (obj) => redactor.object(obj) };
    pinoOptions.hooks = {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const arg: unknown = args[i];
          if (typeof arg === 'string') args[i] = redactor.text(arg);
          // later objects are interpolation arguments (%o, %j); the first one is formatters.log's
          else if (i > 0 && typeof arg === 'object' && arg !== null) args[i] = redactor.value(arg);
        }
        // pino takes an error's own message as the line's message when none is given
        if (args.length === 1) {
          const message = errorMessage(args[0]);
          if (message !== undefined) (args as unknown[]).push(redactor.text(message));
        }
        method.apply(this, args);
      },
    };
  }
  return pinoOptions;
}

function destinationStream(options: ResolvedLoggingOptions): DestinationStream | undefined {
  const dest = options.destination;
  if (options.pretty) return prettyStream(dest);
  if (dest === undefined || typeof dest === 'object') return dest;
  return pino.destination({ dest, sync: true, mkdir: typeof dest === 'string' });
}

// In-process pino-pretty (dev only): no worker thread, and it writes to any destination.
function prettyStream(dest: ResolvedLoggingOptions['destination']): DestinationStream {
  let build: (opts: Record<string, unknown>) => DestinationStream;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    build = require('pino-pretty') as typeof build;
  } catch (err) {
    throw new KeelConfigError(
      'LoggingModule: `pretty: true` needs the pino-pretty package; install it as a dev ' +
        'dependency (npm i -D pino-pretty) or drop `pretty`',
      { cause: err },
    );
  }
  return build({ destination: dest ?? 1, sync: true, colorize: dest === undefined });
}

/** The app's pino logger; a bad redact path fails the boot naming the option. */
export function createKeelPino(options: ResolvedLoggingOptions, redactor: Redactor): Logger {
  const pinoOptions = keelPinoOptions(options, redactor);
  const stream = destinationStream(options);
  let logger: Logger;
  try {
    logger = stream === undefined ? pino(pinoOptions) : pino(pinoOptions, stream);
  } catch (err) {
    throw new KeelConfigError(
      `LoggingModule: redact.paths is invalid: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  for (const warning of options.warnings) logger.warn(warning);
  return logger;
}
