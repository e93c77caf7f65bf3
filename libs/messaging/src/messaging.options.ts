import type { Type } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import type { ConsumerConfig, KafkaConfig } from 'kafkajs';
import type { Registry } from 'prom-client';

/** Turns values into message bytes and back. The default is JSON. */
export interface MessageSerializer {
  serialize(value: unknown): Buffer | string | null;
  /** Throw to reject a malformed payload; the message then goes to the DLT. */
  deserialize(value: Buffer | null): unknown;
}

/** An error class, matched with `instanceof`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

export interface BackoffOptions {
  /** Delay before the second attempt, ms. Default 200. */
  initialMs?: number;
  /** Growth factor per attempt. Default 2. */
  multiplier?: number;
  /**
   * Cap on one delay, ms. Default 20 000. A blocking retry's longest delay, jitter included,
   * must stay under `consumer.sessionTimeout` (checked at start-up).
   */
  maxMs?: number;
  /** Random spread as a fraction of the delay (0..1), so retries do not align. Default 0.2. */
  jitter?: number;
}

export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  attempts?: number;
  /** Delay between attempts. */
  backoff?: BackoffOptions;
  /** Retry only these errors (and their subclasses). Default: every error. */
  retryOn?: ErrorClass[];
  /** Never retry these; they go to the DLT at once. Validation errors never retry. */
  noRetryOn?: ErrorClass[];
  /** Retry through `<topic>.retry.<n>` topics so the partition keeps flowing. Default false. */
  nonBlocking?: boolean;
}

/** A Redis server: URL, ioredis options, or a client you own (Keel will not close it). */
export type RedisConnection = string | RedisOptions | Redis;

export interface IdempotencyOptions {
  /** The Redis that remembers handled message ids. */
  redis: RedisConnection;
  /** How long a handled message id is remembered, ms. Default 24 h. */
  ttlMs?: number;
  /** Prefix of the dedupe keys. Default `keel:msg:`. */
  keyPrefix?: string;
  /**
   * Budget of one dedupe claim, lookup or mark, ms: past it the message fails with DedupeStoreError
   * (and is redelivered) instead of waiting out the client's reconnect retries. Default 2 000.
   */
  timeoutMs?: number;
  /**
   * Life of a delivery's claim on a message, ms, renewed every third of it while the handler
   * runs: a crashed holder keeps a redelivery waiting this long at most. Default 15 000.
   */
  claimTtlMs?: number;
}

export interface MessagingModuleOptions {
  /** Kafka bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Kafka client id; also the start of every default group id. */
  clientId: string;
  /** Consumer settings of every listener (a dead member is noticed after sessionTimeout). */
  consumer?: ConsumerSettings;
  /** Further kafkajs client settings (ssl, sasl, timeouts, logLevel). */
  kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
  /** Payload codec of the producer and every listener. Default JSON. */
  serializer?: MessageSerializer;
  /** Default retry policy of every listener. */
  retry?: RetryOptions;
  /** Suffix of dead-letter topics. Default `.DLT`. */
  dltSuffix?: string;
  /** Dedupe store for `idempotent` listeners. */
  idempotency?: IdempotencyOptions;
  /** Replication factor of retry and DLT topics created at start-up. Default broker default. */
  replicationFactor?: number;
  /** Restart backoff of a crashed consumer. Defaults 1 000 and 30 000 ms. */
  restart?: {
    /** First delay before a crashed consumer restarts, ms. Default 1 000. */
    initialMs?: number;
    /** Longest delay between restarts, ms. Default 30 000. */
    maxMs?: number;
  };
  /** prom-client registry for keel_kafka_* metrics. Default: the global registry. */
  registry?: Registry;
}

/** A class-validator class, or a function that returns the valid payload or throws. */
export type MessageSchema = Type<object> | ((payload: unknown) => unknown);

export interface IdempotentListenerOptions {
  /** Header holding the message id. Default `x-message-id`. */
  header?: string;
  /** Builds the id from the message instead of a header. */
  key?: (payload: unknown, headers: Readonly<Record<string, string>>) => string | undefined;
  /** Overrides the module's ttlMs. */
  ttlMs?: number;
}

export interface KafkaListenerOptions {
  /** Topic or topics to consume. Give this or `topicPattern`. */
  topics?: string | string[];
  /** Consume every topic whose name matches (as known at start-up). */
  topicPattern?: RegExp;
  /** Default `<clientId>.<Class>.<method>`; every listener needs its own group. */
  groupId?: string;
  /** Partitions handled at once. Default 1. */
  concurrency?: number;
  /** Handler gets `(payloads[], batchCtx)`. */
  batch?: boolean;
  /** A new group starts at the oldest record instead of the newest. Default false. */
  fromBeginning?: boolean;
  /** This listener's retry policy, merged over the module's `retry`. */
  retry?: RetryOptions;
  /** Dead-letter exhausted or invalid messages. Default true (`<topic>.DLT`). */
  dlt?: boolean | { topic?: string };
  /** Skip messages whose id was handled before (needs the module's `idempotency`). Default false. */
  idempotent?: boolean | IdempotentListenerOptions;
  /** Validate each payload; an invalid one goes to the DLT at once, never retried. */
  schema?: MessageSchema;
  /**
   * Create the listener's `topics` at start-up when missing, with these partitions (its retry
   * and DLT topics copy them). Without it a missing topic is left to the broker's auto-creation.
   */
  provision?: TopicProvisioning;
}

export interface TopicProvisioning {
  /** Partitions of a topic created at start-up. */
  partitions: number;
  /** Its replication factor. Default the module's `replicationFactor`, else the broker's. */
  replicationFactor?: number;
}

export type ConsumerSettings = Pick<
  ConsumerConfig,
  'sessionTimeout' | 'heartbeatInterval' | 'rebalanceTimeout' | 'maxWaitTimeInMs' | 'maxBytes'
>;

export interface ResolvedMessagingOptions {
  consumer: ConsumerSettings;
  brokers: string[];
  clientId: string;
  dltSuffix: string;
  retry: RetryOptions;
  restartInitialMs: number;
  restartMaxMs: number;
  idempotencyTtlMs: number;
  idempotencyPrefix: string;
  idempotencyTimeoutMs: number;
  idempotencyClaimTtlMs: number;
  replicationFactor: number | undefined;
}
