import { KeelConfigError } from '@keel/core';
import type { MessagingModuleOptions } from './messaging.options';
import { resolveMessagingOptions } from './messaging.validation';

const base: MessagingModuleOptions = { brokers: ['127.0.0.1:9092'], clientId: 'svc' };

function fails(options: unknown, option: string): void {
  const run = () => resolveMessagingOptions(options as MessagingModuleOptions);
  expect(run).toThrow(KeelConfigError);
  expect(run).toThrow(option);
}

describe('resolveMessagingOptions', () => {
  it('fills defaults', () => {
    expect(resolveMessagingOptions(base)).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      clientId: 'svc',
      dltSuffix: '.DLT',
      restartInitialMs: 1_000,
      restartMaxMs: 30_000,
      idempotencyPrefix: 'keel:msg:',
      idempotencyTimeoutMs: 2_000,
      idempotencyClaimTtlMs: 15_000,
    });
  });

  it.each([
    [{ ...base, brokers: [] }, 'brokers'],
    [{ ...base, brokers: ['no-port'] }, 'brokers: "no-port" (a string)'],
    [
      { ...base, consumer: { sessionTimeout: '30000' } },
      'consumer.sessionTimeout must be an integer >= 1, got "30000" (a string). Pass a number',
    ],
    [{ ...base, broker: ['a:1'] }, 'unknown option "broker" (did you mean "brokers"?)'],
    [{ ...base, consumer: { sessionTimeoutMs: 1 } }, 'unknown option "consumer.sessionTimeoutMs"'],
    [
      { ...base, idempotency: { redis: 'redis://x', ttl: 1 } },
      'unknown option "idempotency.ttl" (did you mean "idempotency.ttlMs"?)',
    ],
    [
      { ...base, retry: { backoff: { maxDelayMs: 1 } } },
      'MessagingModule: unknown option "retry.backoff.maxDelayMs"',
    ],
    [{ ...base, clientId: ' ' }, 'clientId'],
    [{ ...base, dltSuffix: '' }, 'dltSuffix'],
    [{ ...base, serializer: { serialize: () => null } }, 'serializer'],
    [{ ...base, retry: { attempts: 0 } }, 'retry.attempts'],
    [{ ...base, retry: { attempts: 1.5 } }, 'retry.attempts'],
    [{ ...base, retry: { backoff: { multiplier: 0.5 } } }, 'retry.backoff.multiplier'],
    [{ ...base, retry: { backoff: { jitter: 2 } } }, 'retry.backoff.jitter'],
    [{ ...base, retry: { retryOn: ['Error'] } }, 'retry.retryOn'],
    [{ ...base, retry: { nonBlocking: 'yes' } }, 'retry.nonBlocking'],
    [{ ...base, idempotency: {} }, 'idempotency.redis'],
    [{ ...base, idempotency: { redis: 'redis://x', ttlMs: -1 } }, 'idempotency.ttlMs'],
    [{ ...base, idempotency: { redis: 'redis://x', timeoutMs: 0 } }, 'idempotency.timeoutMs'],
    [{ ...base, idempotency: { redis: 'redis://x', claimTtlMs: 10 } }, 'idempotency.claimTtlMs'],
    [{ ...base, restart: { initialMs: 0 } }, 'restart.initialMs'],
    [{ ...base, replicationFactor: 0 }, 'replicationFactor'],
    [{ ...base, consumer: { sessionTimeout: 0 } }, 'consumer.sessionTimeout'],
    [null, 'options must be an object'],
  ])('rejects %j naming %s', (options, option) => fails(options, option));
});
