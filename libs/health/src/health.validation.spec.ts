import { KeelConfigError } from '@keel/core';
import { resolveHealthOptions } from './health.validation';

describe('resolveHealthOptions', () => {
  it('fills defaults and trims the path', () => {
    expect(resolveHealthOptions({})).toEqual({
      path: 'health',
      timeoutMs: 2_000,
      drainMs: 5_000,
      shutdownTimeoutMs: 10_000,
    });
    expect(resolveHealthOptions({ path: '/ops/health/' }).path).toBe('ops/health');
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ drainMs: Number.NaN }, 'drainMs'],
    [{ shutdownTimeoutMs: -5 }, 'shutdownTimeoutMs'],
    [{ kafka: { brokers: ['nohost'] } }, 'kafka.brokers'],
    [{ path: 'x?y' }, 'path'],
  ])('rejects %j naming %s', (options, name) => {
    expect(() => resolveHealthOptions(options as never)).toThrow(KeelConfigError);
    expect(() => resolveHealthOptions(options as never)).toThrow(name);
  });

  it.each([
    [{ timeoutMs: '2000' }, 'timeoutMs must be a finite number >= 1, got "2000" (a string).'],
    [{ redisUrl: 'redis://x' }, 'unknown option "redisUrl" (did you mean "redis"?)'],
    [
      { kafka: { broker: ['a:1'] } },
      'unknown option "kafka.broker" (did you mean "kafka.brokers"?)',
    ],
  ])('rejects %j saying %s', (options, message) => {
    expect(() => resolveHealthOptions(options as never)).toThrow(message);
  });
});
