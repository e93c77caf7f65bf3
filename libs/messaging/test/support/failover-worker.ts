// One app process of a consumer group with an idempotent listener whose effect is a Redis counter:
//   <topic> <groupId> <prefix> <hangAfter>
// Effect: HINCRBY <prefix>:counts <message id> 1. Prints RUNNING, PARTITION <p> the first time it
// handles a record of partition p, DUPLICATES <n> when its dedupe skips grow, and HANGING when
// the (hangAfter+1)-th handler starts and never finishes (0: never), so a SIGKILL lands mid-handler.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { logLevel } from 'kafkajs';
import { register } from 'prom-client';
import {
  KafkaListener,
  MessagingModule,
  MessagingStatus,
  type KafkaMessageContext,
} from '@keel/messaging';

const [topic, groupId, prefix, hangAfterArg] = process.argv.slice(2);
const hangAfter = Number(hangAfterArg);
const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);

@Injectable()
class Counter {
  private handled = 0;
  private readonly partitions = new Set<number>();

  @KafkaListener({ topics: topic, groupId, fromBeginning: true, idempotent: true })
  async handle(_payload: unknown, ctx: KafkaMessageContext): Promise<void> {
    if (!this.partitions.has(ctx.partition)) {
      this.partitions.add(ctx.partition);
      process.stdout.write(`PARTITION ${ctx.partition}\n`);
    }
    if (hangAfter > 0 && this.handled >= hangAfter) {
      process.stdout.write('HANGING\n');
      await new Promise(() => undefined); // the test kills us here
    }
    await redis.hincrby(`${prefix}:counts`, ctx.headers['x-message-id'], 1);
    this.handled++;
  }
}

@Module({
  imports: [
    MessagingModule.forRoot({
      brokers: BROKERS,
      clientId: 'keel-test-failover',
      // a dead member is noticed after sessionTimeout: keep it short so the test stays quick
      consumer: { sessionTimeout: 6_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 },
      kafka: { logLevel: logLevel.NOTHING },
      idempotency: { redis: REDIS_URL, keyPrefix: `${prefix}:dedupe:` },
    }),
  ],
  providers: [Counter],
})
class WorkerModule {}

async function duplicates(): Promise<number> {
  const metric = register.getSingleMetric('keel_kafka_consumed_total');
  if (!metric) return 0;
  const data = await metric.get();
  return data.values
    .filter((v) => v.labels.outcome === 'duplicate')
    .reduce((sum, v) => sum + v.value, 0);
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  await app.get(MessagingStatus).whenRunning(30_000);
  process.stdout.write('RUNNING\n');
  let reported = 0;
  setInterval(() => {
    void duplicates().then((n) => {
      if (n !== reported) process.stdout.write(`DUPLICATES ${(reported = n)}\n`);
    });
  }, 250);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
