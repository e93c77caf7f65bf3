import { KeelConfigError } from '@keel/core';
import { describeValue, rejectUnknownOptions } from '@keel/core/internal';
import { DEFAULT_CENSOR, LEVELS, REQUEST_ID_HEADER } from './logging.constants';
import type {
  HttpLoggingOptions,
  LoggingModuleOptions,
  LogLevel,
  RedactOptions,
  ResolvedLoggingOptions,
} from './logging.options';

const fail = (message: string): KeelConfigError => new KeelConfigError(`LoggingModule: ${message}`);
// Records, so the compiler fails when an option is added to a type but not here.
const MODULE_KEYS = Object.keys({
  level: 0,
  service: 0,
  base: 0,
  destination: 0,
  pretty: 0,
  redact: 0,
  http: 0,
} satisfies Record<keyof LoggingModuleOptions, 0>);
const REDACT_KEYS = Object.keys({
  presets: 0,
  keys: 0,
  paths: 0,
  cardNumbersInText: 0,
  censor: 0,
} satisfies Record<keyof RedactOptions, 0>);
const HTTP_KEYS = Object.keys({
  autoLogging: 0,
  ignorePaths: 0,
  requestIdHeader: 0,
} satisfies Record<keyof HttpLoggingOptions, 0>);
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
// pino writes these itself; a base field with the same name would make lines ambiguous.
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw fail(`${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw fail(`${name} must be an array of non-empty strings`);
  }
  return value as string[];
}

function resolveLevel(level: unknown, env: NodeJS.ProcessEnv): LogLevel {
  const name = level === undefined ? 'LOG_LEVEL' : 'level';
  const value = level ?? (env.LOG_LEVEL?.trim().toLowerCase() || 'info');
  if (!LEVELS.includes(value as LogLevel)) {
    throw fail(`${name} must be one of ${LEVELS.join(', ')}, got ${describeValue(value)}`);
  }
  return value as LogLevel;
}

function resolveDestination(value: unknown): ResolvedLoggingOptions['destination'] {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (isRecord(value) && typeof value.write === 'function') {
    return value as unknown as ResolvedLoggingOptions['destination'];
  }
  throw fail('destination must be a stream with write(), a file descriptor >= 1 or a file path');
}

function resolveRedact(value: unknown): Required<RedactOptions> {
  if (value !== undefined && !isRecord(value)) {
    throw fail(`redact must be an object, got ${describeValue(value)}`);
  }
  const r: RedactOptions = value ?? {};
  rejectUnknownOptions('LoggingModule', r, REDACT_KEYS, 'redact.');
  const censor = r.censor ?? DEFAULT_CENSOR;
  if (typeof censor !== 'string') throw fail('redact.censor must be a string');
  return {
    presets: optionalBoolean(r.presets, 'redact.presets', true),
    keys: stringList(r.keys, 'redact.keys'),
    paths: stringList(r.paths, 'redact.paths'),
    cardNumbersInText: optionalBoolean(r.cardNumbersInText, 'redact.cardNumbersInText', true),
    censor,
  };
}

function resolveHttp(value: unknown): Required<HttpLoggingOptions> | false {
  if (value === false) return false;
  if (value !== undefined && !isRecord(value)) {
    throw fail(`http must be an object or false, got ${describeValue(value)}`);
  }
  const h: HttpLoggingOptions = value ?? {};
  rejectUnknownOptions('LoggingModule', h, HTTP_KEYS, 'http.');
  const header = h.requestIdHeader ?? REQUEST_ID_HEADER;
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw fail(
      `http.requestIdHeader must be a lower-case header name, got ${describeValue(header)}`,
    );
  }
  const ignorePaths = stringList(h.ignorePaths, 'http.ignorePaths');
  const bad = ignorePaths.find((p) => !p.startsWith('/'));
  if (bad !== undefined) throw fail(`http.ignorePaths entries must start with "/", got "${bad}"`);
  return {
    autoLogging: optionalBoolean(h.autoLogging, 'http.autoLogging', true),
    ignorePaths,
    requestIdHeader: header,
  };
}

/** Validates module options at start-up; a bad one fails the boot naming the option. */
export function resolveLoggingOptions(
  options: LoggingModuleOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedLoggingOptions {
  if (options !== undefined && !isRecord(options)) {
    throw fail(`options must be an object, got ${describeValue(options)}`);
  }
  const o: LoggingModuleOptions = options ?? {};
  rejectUnknownOptions('LoggingModule', o, MODULE_KEYS);
  if (o.service !== undefined && (typeof o.service !== 'string' || o.service.trim() === '')) {
    throw fail(`service must be a non-empty string, got ${describeValue(o.service)}`);
  }
  if (o.base !== undefined && !isRecord(o.base)) throw fail('base must be an object');
  const reserved = Object.keys(o.base ?? {}).find((k) => RESERVED.has(k));
  if (reserved !== undefined) throw fail(`base must not set "${reserved}": pino writes it`);
  const warnings: string[] = [];
  let pretty = optionalBoolean(o.pretty, 'pretty', false);
  if (pretty && env.NODE_ENV === 'production') {
    warnings.push(
      'LoggingModule: `pretty` is ignored when NODE_ENV=production; writing JSON lines',
    );
    pretty = false;
  }
  return {
    level: resolveLevel(o.level, env),
    service: o.service,
    base: { ...o.base },
    destination: resolveDestination(o.destination),
    pretty,
    redact: resolveRedact(o.redact),
    http: resolveHttp(o.http),
    warnings,
  };
}
