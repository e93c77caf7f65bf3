import { stackEnv, uniqueName } from '../../../../test/support/stack-env';
import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  KafkaProducer,
  MessagingModule,
  MessagingStatus,
  type MessagingModuleOptions,
} from '@keel/messaging';

export const BROKERS = stackEnv.kafkaBrokers;
export const REDIS_URL = stackEnv.redisUrl;

const kafka = new Kafka({ brokers: BROKERS, clientId: 'keel-test', logLevel: logLevel.NOTHING });

/** A name no earlier run used. */
export function unique(prefix: string): string {
  return uniqueName(`keel-test.${prefix}`);
}

/** Creates topics on the real broker; fails loudly when Kafka is not there. */
export async function createTopics(topics: string[], partitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
    });
  } finally {
    await admin.disconnect();
  }
}

export interface MessagingApp {
  app: INestApplication;
  producer: KafkaProducer;
  status: MessagingStatus;
  registry: Registry;
}

/** An app with MessagingModule on the real broker and the given listener providers. */
export async function bootMessagingApp(
  providers: Type<unknown>[],
  options: Partial<MessagingModuleOptions> = {},
): Promise<MessagingApp> {
  const registry = new Registry();
  const moduleRef = await Test.createTestingModule({
    imports: [
      MessagingModule.forRoot({
        brokers: BROKERS,
        clientId: unique('app'),
        registry,
        kafka: { logLevel: logLevel.NOTHING },
        ...options,
      }),
    ],
    providers,
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const status = app.get(MessagingStatus);
  await status.whenRunning(20_000);
  return { app, producer: app.get(KafkaProducer), status, registry };
}

/** Reads `count` records of a topic from the beginning with a throwaway group. */
export async function readTopic(
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: unique('reader'), maxWaitTimeInMs: 200 });
  const got: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`read ${got.length}/${count} records of ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(message);
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** The committed offset of a group on partition 0 of a topic (-1 when none). */
export async function committedOffset(groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(entry.partitions.find((p) => p.partition === 0)?.offset ?? -1);
  } finally {
    await admin.disconnect();
  }
}

/** Collects what handlers saw and resolves waiters once enough arrived. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) =>
      this.items.length >= w.n ? (w.resolve(), false) : true,
    );
  }

  async waitFor(n: number, timeoutMs = 20_000): Promise<T[]> {
    if (this.items.length < n) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`got ${this.items.length}/${n} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return this.items;
  }
}

/**
 * Records on a topic, from its partitions' watermarks (high - low): every record ever written,
 * duplicates included, however many a reader read. Our producers are idempotent, not
 * transactional, so no control records sit between offsets.
 */
export async function topicRecordCount(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { metricValue } from '../../../../test/support/metric-value';
