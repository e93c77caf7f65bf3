import { KeelConfigError } from '@keel/core';
import { type DiscoveredMethod } from '@keel/core/internal';
import { defineListener } from './listener-definition';
import { RetryBackoffError } from './messaging.errors';
import type { KafkaListenerOptions } from './messaging.options';
import { resolveMessagingOptions } from './messaging.validation';

const moduleOptions = resolveMessagingOptions({ brokers: ['localhost:9092'], clientId: 'svc' });

class Payments {
  handle(): string {
    return 'called';
  }
}

function handler(metadata: KafkaListenerOptions): DiscoveredMethod<KafkaListenerOptions> {
  return {
    instance: new Payments(),
    classRef: Payments,
    className: 'Payments',
    methodName: 'handle',
    metadataKey: 'k',
    metadata,
    isController: false,
    paramTypes: undefined,
    arity: 0,
  };
}

describe('defineListener', () => {
  it('resolves defaults and retry topics', async () => {
    const def = defineListener(
      handler({ topics: 'pay', retry: { attempts: 3, nonBlocking: true } }),
      moduleOptions,
      false,
    );
    expect(def.groupId).toBe('svc.Payments.handle');
    expect(def.retryTopics).toEqual(['pay.retry.1', 'pay.retry.2']);
    expect(def.dltFor?.('pay')).toBe('pay.DLT');
    expect(await def.invoke(undefined, undefined)).toBe('called');
    expect(
      defineListener(handler({ topics: 'x', dlt: false }), moduleOptions, false).dltFor,
    ).toBeNull();
  });

  it('resolves provision, the replication factor defaulting to the module one', () => {
    const def = defineListener(
      handler({ topics: 'a', provision: { partitions: 6 } }),
      { ...moduleOptions, replicationFactor: 3 },
      false,
    );
    expect(def.provision).toEqual({ partitions: 6, replicationFactor: 3 });
    expect(defineListener(handler({ topics: 'a' }), moduleOptions, false).provision).toBeNull();
  });

  it.each([
    [{}, 'exactly one of `topics`'],
    [{ topics: 'a', topicPattern: /a/ }, 'exactly one of `topics`'],
    [{ topics: [''] }, 'topics must be non-empty'],
    [{ topics: 'a', concurrency: 0 }, 'concurrency'],
    [{ topics: 'a', retry: { attempts: -1 } }, 'retry.attempts'],
    [{ topics: 'a', batch: true, retry: { nonBlocking: true } }, 'nonBlocking'],
    [{ topicPattern: /a/, retry: { nonBlocking: true } }, 'nonBlocking'],
    [{ topics: 'a', idempotent: true }, 'idempotency: { redis }'],
    [{ topics: 'a', dlt: { topic: '' } }, 'dlt.topic'],
    [{ topicPattern: /a/, provision: { partitions: 3 } }, 'provision works with `topics`'],
    [{ topic: 'a' }, 'unknown option "topic" (did you mean "topics"?)'],
    [{ topics: 'a', provision: { partition: 3 } }, 'unknown option "provision.partition"'],
    [
      { topics: 'a', retry: { attempt: 3 } },
      '@KafkaListener on Payments.handle(): unknown option "retry.attempt" (did you mean "retry.attempts"?)',
    ],
    [{ topics: 'a', provision: { partitions: 0 } }, 'provision.partitions'],
    [{ topics: 'a', provision: {} }, 'provision.partitions is required'],
    [
      { topics: 'a', provision: { partitions: 3, replicationFactor: 0 } },
      'provision.replicationFactor',
    ],
    [
      { topics: 'a', provision: 3 },
      'provision must be { partitions, replicationFactor? }, got 3 (a number)',
    ],
  ] as [KafkaListenerOptions, string][])('rejects %j naming %s', (options, text) => {
    const run = () => defineListener(handler(options), moduleOptions, false);
    expect(run).toThrow(KeelConfigError);
    expect(run).toThrow('@KafkaListener on Payments.handle()');
    expect(run).toThrow(text);
  });

  describe('blocking retry backoff vs the consumer session', () => {
    const withSession = (sessionTimeout: number | undefined, retry = {}) =>
      resolveMessagingOptions({
        brokers: ['localhost:9092'],
        clientId: 'svc',
        retry,
        consumer: sessionTimeout === undefined ? {} : { sessionTimeout },
      });
    const define =
      (options: KafkaListenerOptions, module = moduleOptions) =>
      () =>
        defineListener(handler(options), module, false);

    it('boots the defaults, even with many attempts (default cap 20 s + jitter < 30 s)', () => {
      expect(define({ topics: 'a', retry: { attempts: 50 } })).not.toThrow();
      const def = define({ topics: 'a', retry: { attempts: 50 } })();
      expect(def.policy.longestDelayMs()).toBe(24_000);
      expect(def.heartbeatSliceMs).toBe(1_500);
    });

    it('rejects a wait that can reach sessionTimeout, naming the option, the value and the fix', () => {
      const run = define({ topics: 'a', retry: { attempts: 20, backoff: { maxMs: 30_000 } } });
      expect(run).toThrow(RetryBackoffError);
      expect(run).toThrow(KeelConfigError);
      expect(run).toThrow(
        '@KafkaListener on Payments.handle(): retry.backoff.maxMs is 30000 ms, so one blocking ' +
          'retry can wait up to 36000 ms (its largest delay plus jitter), which reaches ' +
          'consumer.sessionTimeout (30000 ms)',
      );
      expect(run).toThrow('Set retry.backoff.maxMs to at most 24999 ms');
      expect(run).toThrow('retry.nonBlocking');
    });

    it("checks against the module's sessionTimeout and names the module's retry when it is that", () => {
      const module = withSession(6_000, { attempts: 3, backoff: { maxMs: 8_000, jitter: 0 } });
      const run = define({ topics: 'a', retry: { backoff: { initialMs: 8_000 } } }, module);
      expect(run).toThrow('MessagingModule retry.backoff.maxMs is 8000 ms');
      expect(run).toThrow('consumer.sessionTimeout (6000 ms)');
      expect(run).toThrow('Set MessagingModule retry.backoff.maxMs to at most 5999 ms');
      // under the cap, the growth from initialMs made the wait: that is named, the cap the fix
      const grown = define(
        { topics: 'a', retry: { attempts: 2, backoff: { initialMs: 7_000 } } },
        module,
      );
      expect(grown).toThrow('retry.backoff.initialMs is 7000 ms');
      expect(grown).toThrow('up to 7000 ms');
      expect(grown).toThrow('Cap it with retry.backoff.maxMs at most 5999 ms');
      // just under the session boots; one attempt or non-blocking retries never wait in the loop
      const ok = withSession(6_000, { backoff: { initialMs: 5_999, jitter: 0 } });
      expect(define({ topics: 'a', retry: { attempts: 2 } }, ok)).not.toThrow();
      expect(define({ topics: 'a', retry: { attempts: 1 } }, module)).not.toThrow();
      expect(
        define(
          { topics: 'a', retry: { nonBlocking: true, backoff: { initialMs: 60_000 } } },
          module,
        ),
      ).not.toThrow();
    });

    it('only counts delays the attempts reach (a short retry chain never hits the cap)', () => {
      const module = withSession(6_000, { backoff: { maxMs: 60_000 } });
      // attempts 3: delays 200 and 400 ms (+20%)
      expect(define({ topics: 'a' }, module)).not.toThrow();
      expect(define({ topics: 'a', retry: { attempts: 30 } }, module)).toThrow(
        'MessagingModule retry.backoff.maxMs is 60000 ms',
      );
    });
  });
});
