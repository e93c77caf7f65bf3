import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { getContext } from '@keel/core';
import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { contextHeaders } from './message-headers';
import { explainKafkaError } from './kafka-errors';
import {
  KAFKA_CLIENT,
  MESSAGE_SERIALIZER,
  MESSAGING_METRICS,
  RESOLVED_MESSAGING_OPTIONS,
} from './messaging.constants';
import { ProducerError } from './messaging.errors';
import type { MessagingMetrics } from './messaging.metrics';
import type { MessageSerializer, ResolvedMessagingOptions } from './messaging.options';

export interface SendOptions {
  /** Record key: records with one key go to one partition, in order. Default none. */
  key?: string | Buffer | null;
  /** More headers; Keel adds the message id and the trace headers. */
  headers?: Record<string, string | Buffer>;
  /** Send to this partition instead of the key's. */
  partition?: number;
  /** Record timestamp, ms since the epoch as a string. Default: the broker's time of send. */
  timestamp?: string;
}

export interface OutgoingMessage extends SendOptions {
  value: unknown;
}

/**
 * Publishes to Kafka with an idempotent producer (acks=all). Values go through the module's
 * serializer (JSON by default); `x-request-id` and `traceparent` come from the async context.
 */
@Injectable()
export class KafkaProducer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaProducer');
  private producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(MESSAGE_SERIALIZER) private readonly serializer: MessageSerializer,
    @Inject(MESSAGING_METRICS) private readonly metrics: MessagingMetrics,
    @Optional()
    @Inject(RESOLVED_MESSAGING_OPTIONS)
    private readonly options?: Pick<ResolvedMessagingOptions, 'brokers'>,
  ) {
    this.producer = this.newProducer();
  }

  /**
   * Starts connecting without holding up the boot: the first send waits for the connection, and
   * when Kafka is not reachable yet, sends connect again.
   */
  onModuleInit(): void {
    this.connect().catch((err: unknown) => {
      const why = explainKafkaError(err, this.options?.brokers ?? []);
      this.logger.warn(`Kafka not reachable at start-up (${why}); sends retry`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }

  /** Sends one message; resolves once every in-sync replica has it. */
  async send(topic: string, value: unknown, options: SendOptions = {}): Promise<RecordMetadata[]> {
    return this.sendBatch(topic, [{ ...options, value }]);
  }

  /** Sends several messages to one topic in one request. */
  async sendBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<RecordMetadata[]> {
    const fromContext = contextHeaders(getContext());
    const records: Message[] = messages.map((m) => ({
      key: m.key ?? null,
      value: this.serializer.serialize(m.value),
      headers: { ...fromContext, ...m.headers },
      partition: m.partition,
      timestamp: m.timestamp,
    }));
    return this.sendRaw(topic, records);
  }

  /** Sends records as given: no serializer, no context headers (retry, DLT and replay use it). */
  async sendRaw(topic: string, records: Message[]): Promise<RecordMetadata[]> {
    try {
      await this.connect();
    } catch (err) {
      // not connected: nothing was sent, so the producer (and its sequence numbers) stays
      this.metrics.producedMessages(topic, 'error', records.length);
      throw this.sendError(topic, err);
    }
    const producer = this.producer;
    try {
      const result = await producer.send({
        topic,
        messages: records,
        acks: -1,
        compression: CompressionTypes.None,
      });
      this.metrics.producedMessages(topic, 'success', records.length);
      return result;
    } catch (err) {
      this.metrics.producedMessages(topic, 'error', records.length);
      this.replace(producer);
      throw this.sendError(topic, err);
    }
  }

  private sendError(topic: string, err: unknown): ProducerError {
    return new ProducerError(topic, err, explainKafkaError(err, this.options?.brokers ?? []));
  }

  private newProducer(): Producer {
    // kafkajs requires maxInFlightRequests <= 5 to keep order with idempotence. The partitioner
    // is named, not left to kafkajs' default (which warns on every start): murmur2, as Java
    // producers (Spring Kafka included) partition, so a key lands where theirs would.
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /**
   * After a failed send the next one starts on a fresh producer (a new producer id): after a
   * broker restart kafkajs' idempotent producer can stay out of step with the broker's sequence
   * numbers and fail every send until it is replaced.
   */
  private replace(failed: Producer): void {
    if (this.producer !== failed) return; // a concurrent failure already replaced it
    this.producer = this.newProducer();
    this.connected = undefined;
    void failed.disconnect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    return this.connected;
  }
}
