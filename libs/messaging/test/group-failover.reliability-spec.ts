import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AssignerProtocol, Kafka, logLevel, type Producer } from 'kafkajs';
import { HEADER_MESSAGE_ID } from '@keel/messaging';
import { spawnTs } from '../../../test/support/spawn-ts';
import { BROKERS, createTopics, REDIS_URL, sleep, unique } from './support/messaging-app';

const TOTAL = 20_000;
const PARTITIONS = 6;

/** A failover-worker.ts process and what it printed. */
class Worker {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  private stderr = '';

  constructor(args: string[]) {
    this.child = spawnTs(join(__dirname, 'support', 'failover-worker.ts'), args);
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      this.lines.push(...parts);
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  partitions(): Set<number> {
    return new Set(
      this.lines.filter((l) => l.startsWith('PARTITION ')).map((l) => Number(l.split(' ')[1])),
    );
  }

  duplicates(): number {
    const last = this.lines.filter((l) => l.startsWith('DUPLICATES ')).pop();
    return last ? Number(last.split(' ')[1]) : 0;
  }

  async waitFor(line: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.includes(line)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`worker exited (${this.child.exitCode}) before ${line}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`worker did not print ${line}: ${this.stderr}`);
      await sleep(50);
    }
  }
}

/** Partitions each member of the group is assigned, once both members have some. */
async function waitForSplit(kafka: Kafka, groupId: string, topic: string): Promise<number[][]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { groups } = await admin.describeGroups([groupId]);
      const split = groups[0].members.map(
        (m) =>
          AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [],
      );
      if (groups[0].state === 'Stable' && split.length === 2 && split.every((p) => p.length > 0))
        return split;
      if (Date.now() > deadline)
        throw new Error(`group ${groupId} did not split ${topic}: ${JSON.stringify(groups[0])}`);
      await sleep(200);
    }
  } finally {
    await admin.disconnect();
  }
}

// Spawns processes and SIGKILLs one: runs in the serial `reliability` project.
describe('@keel/messaging two processes in one group, one SIGKILLed (reliability)', () => {
  const kafka = new Kafka({ brokers: BROKERS, clientId: 'keel-test', logLevel: logLevel.NOTHING });
  const redis = new Redis(REDIS_URL);
  const workers: Worker[] = [];
  let producer: Producer | undefined;

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await producer?.disconnect();
    redis.disconnect();
  });

  it('the survivor takes over: every message handled, each effect exactly once', async () => {
    const topic = unique('failover');
    const groupId = unique('failover-group');
    const prefix = unique('failover-redis');
    await createTopics([topic], PARTITIONS);

    // the victim hangs in its 3 001st handler, so the kill lands mid-stream and mid-handler
    const victim = new Worker([topic, groupId, prefix, '3000']);
    const survivor = new Worker([topic, groupId, prefix, '0']);
    workers.push(victim, survivor);
    await Promise.all([victim.waitFor('RUNNING', 60_000), survivor.waitFor('RUNNING', 60_000)]);
    const split = await waitForSplit(kafka, groupId, topic);
    expect(split.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
    await producer.connect();
    for (let start = 0; start < TOTAL; start += 1_000) {
      const messages = Array.from({ length: 1_000 }, (_, j) => {
        const i = start + j;
        return {
          partition: i % PARTITIONS,
          value: JSON.stringify({ i }),
          headers: { [HEADER_MESSAGE_ID]: `m-${i}` },
        };
      });
      await producer.send({ topic, messages, acks: -1 });
    }

    await victim.waitFor('HANGING', 60_000);
    const victimParts = victim.partitions();
    const survivorParts = survivor.partitions();
    victim.child.kill('SIGKILL');
    // both handled records before the kill, each from its own share of the 6
    expect(victimParts.size).toBeGreaterThan(0);
    expect(survivorParts.size).toBeGreaterThan(0);
    expect([...victimParts].filter((p) => survivorParts.has(p))).toEqual([]);

    const key = `${prefix}:counts`;
    const deadline = Date.now() + 60_000;
    while ((await redis.hlen(key)) < TOTAL && Date.now() < deadline) await sleep(250);
    await sleep(2_000); // a late duplicate effect would land now
    const counts = await redis.hgetall(key);
    const ids = Object.keys(counts);
    const twice = ids.filter((id) => counts[id] !== '1');
    const missing = Array.from({ length: TOTAL }, (_, i) => `m-${i}`).filter(
      (id) => !(id in counts),
    );
    console.log(
      `failover: victim had ${[...victimParts].join(',')}, survivor had ${[...survivorParts].join(',')} ` +
        `then ${[...survivor.partitions()].join(',')}; survivor skipped ${survivor.duplicates()} duplicates`,
    );
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    expect(ids.length).toBe(TOTAL);
    expect(Object.values(counts).reduce((s, c) => s + Number(c), 0)).toBe(TOTAL);
    expect([...survivor.partitions()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // How many of the victim's handled-but-uncommitted records came again (and were skipped) depends
    // on where in a fetched batch the kill lands: 0 when it lands on a batch's first record, so it
    // is reported above, not asserted. The deterministic skip test is in idempotent-shutdown.int-spec.
    await redis.del(key);
  });
});
