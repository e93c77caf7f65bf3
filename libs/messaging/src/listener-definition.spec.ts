import { KeelConfigError, type DiscoveredMethod } from '@keel/core';
import { defineListener } from './listener-definition';
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
  ] as [KafkaListenerOptions, string][])('rejects %j naming %s', (options, text) => {
    const run = () => defineListener(handler(options), moduleOptions, false);
    expect(run).toThrow(KeelConfigError);
    expect(run).toThrow('@KafkaListener on Payments.handle()');
    expect(run).toThrow(text);
  });
});
