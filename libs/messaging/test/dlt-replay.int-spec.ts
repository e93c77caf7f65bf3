import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { DLT_HEADERS, DltReplayer, KafkaListener, type KafkaMessageContext } from '@keel/messaging';
import {
  bootMessagingApp,
  BROKERS,
  createTopics,
  Inbox,
  readTopic,
  unique,
  type MessagingApp,
} from './support/messaging-app';

const ROOT = join(__dirname, '..', '..', '..');
const kafka = new Kafka({ brokers: BROKERS, clientId: 'keel-test', logLevel: logLevel.NOTHING });

/** Runs scripts/dlt-replay.ts as `npm run dlt:replay` would. */
function runScript(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=TimeoutNegativeWarning',
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'scripts/dlt-replay.ts',
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('DLT replay on real Kafka (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('a poison message dead-lettered by a listener is replayed by the command and handled', async () => {
    const topic = unique('replay');
    await createTopics([topic]);
    const inbox = new Inbox<{ n: number; key: string | null; headers: Record<string, string> }>();
    let poisoned = true;
    const groupId = unique('replay-group');
    @Injectable()
    class Payments {
      @KafkaListener({ topics: topic, groupId, fromBeginning: true, retry: { attempts: 1 } })
      handle(payload: { n: number }, mctx: KafkaMessageContext): void {
        if (payload.n === 2 && poisoned) throw new TypeError('poison payment 2');
        inbox.push({ n: payload.n, key: mctx.key, headers: mctx.headers });
      }
    }
    ctx = await bootMessagingApp([Payments]);
    for (const n of [1, 2, 3]) {
      await ctx.producer.send(topic, { n }, { key: `pay-${n}`, headers: { 'x-tenant': 't1' } });
    }
    await inbox.waitFor(2);
    const [dead] = await readTopic(`${topic}.DLT`, 1);
    expect(dead.headers![DLT_HEADERS.originalTopic]!.toString()).toBe(topic);

    poisoned = false; // the bug is fixed: replay
    const run = await runScript([`${topic}.DLT`, '--brokers', BROKERS.join(',')]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`read 1 from ${topic}.DLT, replayed 1, skipped 0`);
    const items = await inbox.waitFor(3);
    const replayed = items[2];
    expect(replayed).toMatchObject({ n: 2, key: 'pay-2' });
    expect(replayed.headers['x-tenant']).toBe('t1');
    expect(replayed.headers['keel-replayed-from']).toBe(`${topic}.DLT:0:0`);
    expect(Object.keys(replayed.headers).filter((h) => h.startsWith('keel-'))).toEqual([
      'keel-replayed-from',
    ]);
  });

  it('--from-offset and --limit pick which messages go back', async () => {
    const topic = unique('replay-range');
    const dlt = `${topic}.DLT`;
    await createTopics([topic, dlt]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: dlt,
      messages: [0, 1, 2, 3, 4].map((n) => ({
        key: `k${n}`,
        value: JSON.stringify({ n }),
        headers: {
          [DLT_HEADERS.originalTopic]: topic,
          [DLT_HEADERS.exceptionName]: 'TypeError',
          [DLT_HEADERS.attempts]: '3',
          'x-n': String(n),
        },
      })),
    });
    await producer.disconnect();

    const summary = await new DltReplayer(kafka).replay(dlt, { fromOffset: 1, limit: 2 });
    expect(summary).toEqual({ dltTopic: dlt, read: 2, replayed: { [topic]: 2 }, skipped: 0 });
    const run = await runScript([dlt, '--from-offset', '4', '--brokers', BROKERS.join(',')]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('replayed 1');
    const back = await readTopic(topic, 3);
    expect(back.map((m) => m.key!.toString())).toEqual(['k1', 'k2', 'k4']);
    expect(back.map((m) => m.headers!['x-n']!.toString())).toEqual(['1', '2', '4']);
    expect(back.every((m) => m.headers![DLT_HEADERS.exceptionName] === undefined)).toBe(true);
    expect(await new DltReplayer(kafka).replay(dlt, { fromOffset: 5 })).toMatchObject({ read: 0 });
  });

  it.each([
    [[]],
    [['a', 'b']],
    [['t', '--limit', 'x']],
    [['t', '--from-offset']],
    [['t', '--nope']],
  ])('bad arguments %j: a usage error and exit code 2', async (args) => {
    const run = await runScript(args);
    expect(run.code).toBe(2);
    expect(run.err).toContain('usage: npm run dlt:replay -- <dlt-topic>');
  });
});
