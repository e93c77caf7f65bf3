import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';
import { KafkaListener } from '@keel/messaging';
import { Kafka, logLevel } from 'kafkajs';
import {
  BROKERS,
  bootMessagingApp,
  createTopics,
  readTopic,
  sleep,
  unique,
  type MessagingApp,
} from './support/messaging-app';

const ROOT = join(__dirname, '..', '..', '..');
const STACK = join(ROOT, 'scripts', 'stack.sh');
const BATCH = 50;

function stack(...args: string[]): void {
  execFileSync('bash', [STACK, ...args], { cwd: ROOT, stdio: 'pipe' });
}

// Not execFileSync: the producer and the consumer keep running while the script works.
async function stackAsync(...args: string[]): Promise<void> {
  await promisify(execFile)('bash', [STACK, ...args], { cwd: ROOT });
}

/** Why acknowledged records were not consumed: absent from the topic, or the group stuck or past them. */
async function diagnose(topic: string, lost: number[], app: MessagingApp): Promise<string> {
  const kafka = new Kafka({ brokers: BROKERS, clientId: 'keel-test', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = app.status.consumers();
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: group.groupId, topics: [topic] });
    const inTopic = new Map<number, number>();
    for (const m of await readTopic(topic, Number(ends.reduce((s, e) => s + Number(e.high), 0))))
      inTopic.set((JSON.parse(m.value!.toString()) as { n: number }).n, Number(m.offset));
    return JSON.stringify({
      lost: lost.length,
      first: lost.slice(0, 5),
      absentFromTopic: lost.filter((n) => !inTopic.has(n)).length,
      offsetsOfLost: lost.slice(0, 5).map((n) => inTopic.get(n)),
      ends: ends.map((e) => [e.partition, e.high]),
      committed: committed.partitions.map((p) => [p.partition, p.offset]),
      consumer: group,
    });
  } finally {
    await admin.disconnect();
  }
}

// Stops and starts the real local broker: runs in the serial `reliability` project.
describe('@keel/messaging across a broker restart (reliability)', () => {
  let ctx: MessagingApp | undefined;

  beforeAll(() => {
    // fail loudly when the broker is not ours to stop (an external KAFKA_BROKERS, or not started by stack.sh)
    const pidFile = join(process.env.KEEL_STACK_DIR ?? join(ROOT, '.stack'), 'pids', 'kafka.pid');
    if (!existsSync(pidFile))
      throw new Error(`the local Kafka was not started by scripts/stack.sh (no ${pidFile})`);
  });

  afterAll(async () => {
    stack('up', 'kafka'); // leave the stack as we found it, whatever happened
    await ctx?.app.close();
  });

  it('loses no acknowledged message and the consumer recovers by itself', async () => {
    const topic = unique('restart');
    await createTopics([topic], 3);
    const consumed = new Set<number>();
    @Injectable()
    class Recorder {
      @KafkaListener({ topics: topic, fromBeginning: true, concurrency: 3 })
      handle(payload: { n: number }): void {
        consumed.add(payload.n);
      }
    }
    ctx = await bootMessagingApp([Recorder], {
      consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000 },
      // fail a send within a few seconds during the outage; the loop below retries it
      kafka: { retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 } },
    });
    const { producer, status } = ctx;

    const acked = new Set<number>();
    let failedSends = 0;
    const sendErrors = new Map<string, number>();
    let next = 0;
    let producing = true;
    // Sends batches back to back; a failed batch is sent again (same numbers) until acknowledged.
    const loop = (async () => {
      while (producing) {
        const batch = Array.from({ length: BATCH }, (_, j) => ({ value: { n: next + j } }));
        try {
          await producer.sendBatch(topic, batch);
          batch.forEach((m) => acked.add(m.value.n));
          next += BATCH;
        } catch (err) {
          failedSends++;
          const cause = (err as { cause?: { name?: string; type?: string; message?: string } })
            .cause;
          const what =
            `${cause?.name ?? ''} ${cause?.type ?? ''} ${cause?.message ?? String(err)}`.slice(
              0,
              160,
            );
          sendErrors.set(what, (sendErrors.get(what) ?? 0) + 1);
          await sleep(250);
        }
      }
    })();

    await sleep(3_000);
    const beforeOutage = acked.size;
    await stackAsync('down', 'kafka');
    await sleep(4_000);
    const duringOutage = acked.size;
    await stackAsync('up', 'kafka');
    const ackedAtRestart = acked.size;
    const deadline = Date.now() + 60_000;
    while (acked.size < ackedAtRestart + 2_000 && Date.now() < deadline) await sleep(100);
    producing = false;
    await loop;

    const all = [...acked];
    const consumeBy = Date.now() + 60_000;
    while (all.some((n) => !consumed.has(n)) && Date.now() < consumeBy) await sleep(200);
    const lost = all.filter((n) => !consumed.has(n));
    if (lost.length > 0) console.log(`not consumed: ${await diagnose(topic, lost, ctx)}`);
    console.log(
      `broker restart: acked ${beforeOutage} before, ${duringOutage - beforeOutage} while it stopped, ` +
        `${acked.size} in all; ${failedSends} failed sends retried; ${consumed.size} consumed; ` +
        `consumer ${JSON.stringify(status.consumers().map((c) => [c.state, c.restarts]))}; ` +
        `send errors ${JSON.stringify([...sendErrors])}`,
    );
    expect(beforeOutage).toBeGreaterThan(0);
    expect(failedSends).toBeGreaterThan(0); // the outage really happened to the producer
    expect(acked.size).toBeGreaterThanOrEqual(ackedAtRestart + 2_000); // it produces again
    expect(lost).toEqual([]);
    expect(status.consumers().map((c) => c.state)).toEqual(['running']);
  });
});
