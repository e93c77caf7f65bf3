import { KeelConfigError } from '@keel/core';
import { resolveLoggingOptions } from './logging.validation';
import type { LoggingModuleOptions } from './logging.options';

const bad = (options: unknown, env: NodeJS.ProcessEnv = {}): KeelConfigError => {
  try {
    resolveLoggingOptions(options as LoggingModuleOptions, env);
  } catch (err) {
    expect(err).toBeInstanceOf(KeelConfigError);
    return err as KeelConfigError;
  }
  throw new Error('expected a KeelConfigError');
};

describe('resolveLoggingOptions', () => {
  it('applies defaults', () => {
    const r = resolveLoggingOptions(undefined, {});
    expect(r).toMatchObject({
      level: 'info',
      pretty: false,
      redact: { presets: true, cardNumbersInText: true, censor: '[Redacted]', keys: [], paths: [] },
      http: { autoLogging: true, requestIdHeader: 'x-request-id', ignorePaths: [] },
    });
  });

  it('takes the level from LOG_LEVEL unless given', () => {
    expect(resolveLoggingOptions({}, { LOG_LEVEL: 'DEBUG' }).level).toBe('debug');
    expect(resolveLoggingOptions({ level: 'warn' }, { LOG_LEVEL: 'debug' }).level).toBe('warn');
  });

  it.each<[string, unknown, NodeJS.ProcessEnv]>([
    ['level', { level: 'loud' }, {}],
    ['LOG_LEVEL', {}, { LOG_LEVEL: 'verbose' }],
    ['service', { service: '' }, {}],
    ['base', { base: { level: 1 } }, {}],
    ['destination', { destination: {} }, {}],
    ['pretty', { pretty: 'yes' }, {}],
    ['redact.keys', { redact: { keys: ['ok', ''] } }, {}],
    ['redact.paths', { redact: { paths: 'a.b' } }, {}],
    ['redact.presets', { redact: { presets: 'no' } }, {}],
    ['redact.censor', { redact: { censor: 1 } }, {}],
    ['http.requestIdHeader', { http: { requestIdHeader: 'X Request' } }, {}],
    ['http.ignorePaths', { http: { ignorePaths: ['health'] } }, {}],
    ['http', { http: true }, {}],
  ])('fails naming %s', (name: string, options: unknown, env: NodeJS.ProcessEnv) => {
    expect(bad(options, env).message).toContain(name);
  });

  it('ignores pretty in production, with a warning', () => {
    const r = resolveLoggingOptions({ pretty: true }, { NODE_ENV: 'production' });
    expect(r.pretty).toBe(false);
    expect(r.warnings[0]).toContain('pretty');
  });

  it.each<[unknown, string]>([
    [{ pretty: 'true' }, 'pretty must be a boolean, got "true" (a string)'],
    [{ levl: 'info' }, 'unknown option "levl" (did you mean "level"?)'],
    [{ redact: { key: ['x'] } }, 'unknown option "redact.key" (did you mean "redact.keys"?)'],
    [
      { http: { ignorePath: ['/health'] } },
      'unknown option "http.ignorePath" (did you mean "http.ignorePaths"?)',
    ],
  ])('fails on %j saying %s', (options, message) => {
    expect(bad(options, {}).message).toContain(message);
  });

  it('accepts http: false', () => {
    expect(resolveLoggingOptions({ http: false }, {}).http).toBe(false);
  });
});
