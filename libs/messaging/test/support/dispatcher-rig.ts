import type { DiscoveredMethod } from '@keel/core/internal';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { jsonSerializer, type KafkaListenerOptions } from '@keel/messaging';
import { DedupeStore } from '../../src/dedupe-store';
import { FailureRouter } from '../../src/failure-router';
import { KafkaProducer } from '../../src/kafka.producer';
import { defineListener } from '../../src/listener-definition';
import { MessageDispatcher, type Delivery } from '../../src/message-dispatcher';
import { MessagingMetrics } from '../../src/messaging.metrics';
import { resolveMessagingOptions } from '../../src/messaging.validation';
import { BROKERS, REDIS_URL } from './messaging-app';

/** One listener instance's dispatch path, on real Redis (and Kafka, if it has to publish). */
export interface DispatcherRig {
  dispatcher: MessageDispatcher;
  registry: Registry;
  close(): Promise<void>;
}

/**
 * A dispatcher as the explorer builds it, for tests that drive deliveries by hand: several rigs
 * with one groupId and key prefix are several instances of one listener.
 */
export function dispatcherRig(
  handle: (payload: unknown) => unknown,
  metadata: KafkaListenerOptions,
  idempotency: { keyPrefix: string; claimTtlMs?: number },
): DispatcherRig {
  const module = resolveMessagingOptions({
    brokers: BROKERS,
    clientId: 'keel-test-rig',
    idempotency: { redis: REDIS_URL, ...idempotency },
  });
  const instance = { handle };
  const handler: DiscoveredMethod<KafkaListenerOptions> = {
    instance,
    classRef: Object,
    className: 'Rig',
    methodName: 'handle',
    metadataKey: 'rig',
    metadata,
    isController: false,
    paramTypes: undefined,
    arity: 1,
  };
  const def = defineListener(handler, module, true);
  const registry = new Registry();
  const metrics = new MessagingMetrics(registry);
  const kafka = new Kafka({
    brokers: BROKERS,
    clientId: 'keel-test-rig',
    logLevel: logLevel.NOTHING,
  });
  const producer = new KafkaProducer(kafka, jsonSerializer, metrics);
  const store = new DedupeStore(
    REDIS_URL,
    module.idempotencyPrefix,
    module.idempotencyTimeoutMs,
    module.idempotencyClaimTtlMs,
  );
  const dispatcher = new MessageDispatcher(
    def,
    jsonSerializer,
    new FailureRouter(def, producer, metrics),
    metrics,
    store,
  );
  return {
    dispatcher,
    registry,
    close: async () => {
      await store.close();
      await producer.onApplicationShutdown();
    },
  };
}

/** A delivery of `payload` at `offset`, with `x-message-id: id`. */
export function delivery(topic: string, id: string, payload: unknown, offset = '0'): Delivery {
  const message: KafkaMessage = {
    key: null,
    value: Buffer.from(JSON.stringify(payload)),
    timestamp: String(Date.now()),
    attributes: 0,
    offset,
    headers: { 'x-message-id': id },
  };
  return {
    topic,
    partition: 0,
    message,
    signal: new AbortController().signal,
    heartbeat: () => Promise.resolve(),
  };
}
