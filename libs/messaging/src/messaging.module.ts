import { Module } from '@nestjs/common';
import { KeelCoreModule } from '@keel/core';
import { KEEL_CONSUMER_STATUS } from '@keel/core/internal';
import { Kafka } from 'kafkajs';
import { DedupeStore } from './dedupe-store';
import { jsonSerializer } from './json.serializer';
import { kafkaLogCreator } from './kafka-logger';
import { KafkaProducer } from './kafka.producer';
import { ListenerExplorer } from './listener.explorer';
import {
  DEDUPE_STORE,
  KAFKA_CLIENT,
  MESSAGE_SERIALIZER,
  MESSAGING_METRICS,
  RESOLVED_MESSAGING_OPTIONS,
} from './messaging.constants';
import { MessagingMetrics } from './messaging.metrics';
import {
  MESSAGING_MODULE_OPTIONS,
  MessagingConfigurableModule,
} from './messaging.module-definition';
import type { MessagingModuleOptions, ResolvedMessagingOptions } from './messaging.options';
import { MessagingStatus } from './messaging-status';
import { resolveMessagingOptions } from './messaging.validation';

/**
 * Kafka for Nest: `MessagingModule.forRoot({ brokers, clientId })` or `forRootAsync(...)`;
 * global unless `isGlobal: false`. One kafkajs client, one producer, a consumer per listener.
 */
@Module({
  imports: [KeelCoreModule],
  providers: [
    {
      provide: RESOLVED_MESSAGING_OPTIONS,
      inject: [MESSAGING_MODULE_OPTIONS],
      useFactory: (options: MessagingModuleOptions) => resolveMessagingOptions(options),
    },
    {
      provide: KAFKA_CLIENT,
      inject: [MESSAGING_MODULE_OPTIONS, RESOLVED_MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions, resolved: ResolvedMessagingOptions) =>
        new Kafka({
          logCreator: kafkaLogCreator,
          ...options.kafka,
          brokers: resolved.brokers,
          clientId: resolved.clientId,
        }),
    },
    {
      provide: MESSAGE_SERIALIZER,
      inject: [MESSAGING_MODULE_OPTIONS],
      useFactory: (options: MessagingModuleOptions) => options.serializer ?? jsonSerializer,
    },
    {
      provide: MESSAGING_METRICS,
      inject: [MESSAGING_MODULE_OPTIONS],
      useFactory: (options: MessagingModuleOptions) => new MessagingMetrics(options.registry),
    },
    {
      provide: DEDUPE_STORE,
      inject: [MESSAGING_MODULE_OPTIONS, RESOLVED_MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions, resolved: ResolvedMessagingOptions) =>
        options.idempotency
          ? new DedupeStore(
              options.idempotency.redis,
              resolved.idempotencyPrefix,
              resolved.idempotencyTimeoutMs,
              resolved.idempotencyClaimTtlMs,
            )
          : null,
    },
    KafkaProducer,
    MessagingStatus,
    // @keel/health reads consumer states through core's token, without importing this lib
    { provide: KEEL_CONSUMER_STATUS, useExisting: MessagingStatus },
    ListenerExplorer,
  ],
  // The serializer and options (registry) are shared with OutboxModule.
  exports: [
    KEEL_CONSUMER_STATUS,
    KafkaProducer,
    MessagingStatus,
    KAFKA_CLIENT,
    MESSAGE_SERIALIZER,
    MESSAGING_MODULE_OPTIONS,
  ],
})
export class MessagingModule extends MessagingConfigurableModule {}
