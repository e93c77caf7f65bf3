// The whole public API of @keel/messaging.
export { MessagingModule } from './messaging.module';
export {
  MESSAGING_ASYNC_OPTIONS_TYPE,
  MESSAGING_OPTIONS_TYPE,
} from './messaging.module-definition';
export { KafkaListener } from './kafka-listener.decorator';
export { KafkaProducer, type OutgoingMessage, type SendOptions } from './kafka.producer';
export { MessagingStatus, type ConsumerState, type ConsumerStatus } from './messaging-status';
export type { KafkaBatchContext, KafkaMessageContext } from './message-context';
export { KAFKA_CLIENT, HEADER_MESSAGE_ID } from './messaging.constants';
export { DLT_HEADERS, retryTopicName } from './dead-letter';
export { jsonSerializer } from './json.serializer';
export {
  DedupeStoreError,
  MessageValidationError,
  MissingPackageError,
  ProducerError,
  RetryBackoffError,
} from './messaging.errors';
export type {
  BackoffOptions,
  ConsumerSettings,
  ErrorClass,
  IdempotencyOptions,
  IdempotentListenerOptions,
  KafkaListenerOptions,
  MessageSchema,
  MessageSerializer,
  MessagingModuleOptions,
  RedisConnection,
  RetryOptions,
  TopicProvisioning,
} from './messaging.options';
export {
  DltReplayer,
  HEADER_REPLAYED_FROM,
  replayHeaders,
  type DltReplayOptions,
  type DltReplaySummary,
} from './dlt-replayer';
export {
  DLT_REPLAY_USAGE,
  DltReplayUsageError,
  parseDltReplayArgs,
  type DltReplayArgs,
} from './dlt-replay-args';
