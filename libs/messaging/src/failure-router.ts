import { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { failureHeaders, retryTopicName } from './dead-letter';
import type { KafkaProducer } from './kafka.producer';
import type { ListenerDefinition } from './listener-definition';
import type { MessagingMetrics } from './messaging.metrics';

export interface FailedRecord {
  topic: string;
  originalTopic: string;
  partition: number;
  message: KafkaMessage;
}

/** Hands failed records to the next retry topic or to the DLT, keeping key and headers. */
export class FailureRouter {
  private readonly logger: Logger;

  constructor(
    private readonly def: ListenerDefinition,
    private readonly producer: KafkaProducer,
    private readonly metrics: MessagingMetrics,
  ) {
    this.logger = new Logger(`KafkaListener ${def.name}`);
  }

  async toRetryTopic(rec: FailedRecord, error: unknown, attempts: number): Promise<void> {
    const dueAt = Date.now() + this.def.policy.baseDelayMs(attempts);
    const headers = failureHeaders({ ...rec, error, attempts, dueAt });
    await this.producer.sendRaw(retryTopicName(rec.originalTopic, attempts), [
      { key: rec.message.key, value: rec.message.value, headers },
    ]);
    this.metrics.retried(rec.originalTopic, this.def.groupId);
    this.metrics.consumedMessage(rec.originalTopic, this.def.groupId, 'retried');
  }

  /** After the last attempt, or at once for invalid payloads and non-retryable errors. */
  async exhausted(rec: FailedRecord, error: unknown, attempts: number): Promise<void> {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const where = `${rec.topic}[${rec.partition}]@${rec.message.offset}`;
    if (!this.def.dltFor) {
      this.logger.error(`Dropped ${where} after ${attempts} attempt(s) (dlt is off): ${why}`);
      this.metrics.consumedMessage(rec.originalTopic, this.def.groupId, 'dropped');
      return;
    }
    const dlt = this.def.dltFor(rec.originalTopic);
    const headers = failureHeaders({ ...rec, error, attempts });
    await this.producer.sendRaw(dlt, [{ key: rec.message.key, value: rec.message.value, headers }]);
    this.logger.warn(`Sent ${where} to ${dlt} after ${attempts} attempt(s): ${why}`);
    this.metrics.deadLettered(rec.originalTopic, this.def.groupId);
    this.metrics.consumedMessage(rec.originalTopic, this.def.groupId, 'dead-lettered');
  }
}
