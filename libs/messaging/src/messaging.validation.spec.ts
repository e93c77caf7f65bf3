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
    [{ ...base, brokers: ['no-port'] }, 'brokers: "no-port"'],
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
