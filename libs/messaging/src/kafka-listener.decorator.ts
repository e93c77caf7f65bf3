import { createKeelDecorator } from '@keel/core';
import { KAFKA_LISTENER_METADATA } from './messaging.constants';
import type { KafkaListenerOptions } from './messaging.options';

const OWNER = {
  decorator: '@KafkaListener',
  module: 'MessagingModule',
  from: '@keel/messaging',
  withoutIt: 'it would never consume',
};

/**
 * Consumes Kafka messages with this provider method: `(payload, ctx: KafkaMessageContext)`, or
 * `(payloads[], ctx: KafkaBatchContext)` with `batch: true`. Records metadata only; the
 * messaging explorer starts a consumer per listener and calls the method through its instance,
 * so other Keel decorators (`@Timed`, `@DistributedLock`) on it still apply.
 */
export function KafkaListener(options: KafkaListenerOptions): MethodDecorator {
  return createKeelDecorator(KAFKA_LISTENER_METADATA, options, OWNER);
}
