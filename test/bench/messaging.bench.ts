// npm run bench -- messaging     (KEEL_BENCH_MESSAGES=20000 KEEL_BENCH_ROUNDS=1 for a quick look;
//                                  KEEL_BENCH_WARMUP=0 skips the uncounted warm-up round)
//  1. consume N 1 KB JSON messages pre-produced once into a 3-partition topic, each run with its
//     own group from the beginning, timed from the first message to the N-th: @KafkaListener
//     (batch and per-message) vs raw kafkajs eachBatch and vs Nest's ServerKafka (@EventPattern).
//  2. produce N 1 KB messages in batches of 1 000: KafkaProducer.sendBatch vs raw kafkajs
//     producer.send with the same settings (idempotent, acks=all). Messages/s, higher is better.
import 'reflect-metadata';
import { Controller, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  KafkaListener,
  KafkaProducer,
  MessagingModule,
  MessagingStatus,
  type OutgoingMessage,
} from '@keel/messaging';
import { BenchRow, BenchSuite, paired, pairedRow } from './harness';

const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const N = Number(process.env.KEEL_BENCH_MESSAGES || 100_000);
const ROUNDS = Number(process.env.KEEL_BENCH_ROUNDS || 3);
const WARMUP = process.env.KEEL_BENCH_WARMUP !== '0';
const BATCH = 1_000;
const PARTITIONS = 3;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const PAD = 'x'.repeat(1_000);

const kafka = new Kafka({ brokers: BROKERS, clientId: 'keel-bench', logLevel: logLevel.NOTHING });
const messages: OutgoingMessage[] = Array.from({ length: N }, (_, i) => ({
  value: { i, pad: PAD },
}));

let groups = 0;
const newGroup = (who: string): string => `keel-bench.${who}.${RUN}.${groups++}`;

/** Counts handled messages; the rate runs from the first message to the N-th. */
class Meter {
  private count = 0;
  private first = 0;
  private last = 0;
  private resolve!: () => void;
  readonly done = new Promise<void>((r) => (this.resolve = r));

  tick(n: number): void {
    if (this.count === 0) this.first = performance.now();
    this.count += n;
    if (this.count >= N && this.last === 0) {
      this.last = performance.now();
      this.resolve();
    }
  }

  async rate(what: string, timeoutMs = 300_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: ${this.count}/${N} in time`)), timeoutMs);
    });
    await Promise.race([this.done, timeout]).finally(() => clearTimeout(timer));
    return N / ((this.last - this.first) / 1000);
  }
}

async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: PARTITIONS }],
    });
  } finally {
    await admin.disconnect();
  }
}

async function deleteTopics(topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

function keelModule(providers: (new () => unknown)[]): new () => unknown {
  @Module({
    imports: [
      MessagingModule.forRoot({
        brokers: BROKERS,
        clientId: 'keel-bench',
        registry: new Registry(),
        kafka: { logLevel: logLevel.NOTHING },
      }),
    ],
    providers,
  })
  class BenchModule {}
  return BenchModule;
}

async function closeAfter(app: INestApplicationContext, work: Promise<number>): Promise<number> {
  try {
    return await work;
  } finally {
    await app.close();
  }
}

async function consumeKeel(topic: string, batch: boolean): Promise<number> {
  const meter = new Meter();
  const groupId = newGroup(batch ? 'keel-batch' : 'keel-each');
  @Injectable()
  class Listener {
    @KafkaListener({ topics: topic, groupId, fromBeginning: true, batch })
    handle(payload: unknown): void {
      meter.tick(batch ? (payload as unknown[]).length : 1);
    }
  }
  const app = await NestFactory.createApplicationContext(keelModule([Listener]), {
    logger: ['error'],
  });
  await app.get(MessagingStatus).whenRunning();
  return closeAfter(app, meter.rate(groupId));
}

async function consumeRaw(topic: string): Promise<number> {
  const meter = new Meter();
  const groupId = newGroup('raw');
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) JSON.parse(m.value!.toString());
        meter.tick(batch.messages.length);
        return Promise.resolve();
      },
    });
    return await meter.rate(groupId);
  } finally {
    await consumer.disconnect();
  }
}

async function consumeNest(topic: string): Promise<number> {
  const meter = new Meter();
  const groupId = newGroup('nest');
  @Controller()
  class Handler {
    @EventPattern(topic)
    handle(_data: unknown): void {
      meter.tick(1);
    }
  }
  @Module({ controllers: [Handler] })
  class NestBenchModule {}
  const app = await NestFactory.create(NestBenchModule, { logger: ['error'] });
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.KAFKA,
    options: {
      client: { brokers: BROKERS, clientId: 'nest-bench', logLevel: logLevel.NOTHING },
      consumer: { groupId, maxWaitTimeInMs: 500 },
      subscribe: { fromBeginning: true },
    },
  });
  await app.startAllMicroservices();
  await app.init();
  return closeAfter(app, meter.rate(groupId));
}

/** Runs every candidate once a round, rotating who goes first; returns each one's rates. */
async function rotate(
  candidates: Record<string, () => Promise<number>>,
): Promise<Record<string, number[]>> {
  const names = Object.keys(candidates);
  const results: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // round 0 warms the JIT (kafkajs's decoders most of all) for everyone and is not counted
  for (let r = WARMUP ? 0 : 1; r <= ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      const rate = await candidates[name]();
      if (r > 0) results[name].push(rate);
      console.error(`round ${r}/${ROUNDS} ${name}: ${rate.toFixed(0)} msg/s`);
    }
  }
  return results;
}

async function consume(): Promise<BenchRow[]> {
  const topic = `keel-bench.consume.${RUN}`;
  await createTopic(topic);
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < N; i += BATCH) {
    const slice = messages.slice(i, i + BATCH);
    await producer.send({
      topic,
      messages: slice.map((m) => ({ value: JSON.stringify(m.value) })),
    });
  }
  await producer.disconnect();
  try {
    const m = await rotate({
      raw: () => consumeRaw(topic),
      keelBatch: () => consumeKeel(topic, true),
      keelEach: () => consumeKeel(topic, false),
      nest: () => consumeNest(topic),
    });
    const name = `consume ${N / 1000}k 1 KB`;
    return [
      pairedRow(
        `${name}: @KafkaListener batch vs raw kafkajs eachBatch`,
        paired(m.keelBatch, m.raw),
        'msg/s',
        '>= 0.9',
      ),
      pairedRow(
        `${name}: @KafkaListener per-message vs raw kafkajs eachBatch`,
        paired(m.keelEach, m.raw),
        'msg/s',
        '>= 0.9',
      ),
      pairedRow(
        `${name}: @KafkaListener per-message vs Nest ServerKafka`,
        paired(m.keelEach, m.nest),
        'msg/s',
        '>= 3',
      ),
      pairedRow(
        `${name}: @KafkaListener batch vs Nest ServerKafka`,
        paired(m.keelBatch, m.nest),
        'msg/s',
        '>= 3',
      ),
    ];
  } finally {
    await deleteTopics([topic]);
  }
}

/** Messages/s of sending every message in sequential batches of BATCH. */
async function timeBatches(send: (batch: OutgoingMessage[]) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < N; i += BATCH) await send(messages.slice(i, i + BATCH));
  return N / ((performance.now() - started) / 1000);
}

async function produce(): Promise<BenchRow[]> {
  const topic = `keel-bench.produce.${RUN}`;
  await createTopic(topic);
  const app = await NestFactory.createApplicationContext(keelModule([]), { logger: ['error'] });
  const ours = app.get(KafkaProducer);
  // the same settings KafkaProducer uses: idempotent, acks=all, no compression
  const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await raw.connect();
  try {
    const warm = messages.slice(0, BATCH);
    await ours.sendBatch(topic, warm);
    await raw.send({
      topic,
      acks: -1,
      messages: warm.map((m) => ({ value: JSON.stringify(m.value) })),
    });
    const m = await rotate({
      raw: () =>
        timeBatches((batch) =>
          raw.send({
            topic,
            acks: -1,
            messages: batch.map((msg) => ({ key: null, value: JSON.stringify(msg.value) })),
          }),
        ),
      keel: () => timeBatches((batch) => ours.sendBatch(topic, batch)),
    });
    return [
      pairedRow(
        `produce ${N / 1000}k 1 KB (batches of ${BATCH}): KafkaProducer.sendBatch vs raw kafkajs send`,
        paired(m.keel, m.raw),
        'msg/s',
        '>= 0.9',
      ),
    ];
  } finally {
    await raw.disconnect();
    await app.close();
    await deleteTopics([topic]);
  }
}

const suite: BenchSuite = {
  async run() {
    // KEEL_BENCH_PART=consume|produce runs one half; the default runs both
    const part = process.env.KEEL_BENCH_PART;
    const rows = part === 'produce' ? [] : await consume();
    if (part !== 'consume') rows.push(...(await produce()));
    return rows;
  },
};

export default suite;
