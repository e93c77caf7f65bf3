import { Injectable } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { DLT_HEADERS, KafkaListener, type KafkaMessageContext } from '@keel/messaging';
import {
  bootMessagingApp,
  createTopics,
  Inbox,
  metricValue,
  readTopic,
  unique,
  type MessagingApp,
} from './support/messaging-app';

class PaymentEvent {
  @IsString() id!: string;
  @IsInt() @Min(1) amount!: number;
}

class NotRetryable extends Error {}

const header = (m: { headers?: Record<string, unknown> }, name: string) =>
  String((m.headers?.[name] as Buffer | undefined)?.toString() ?? '');

describe('@keel/messaging retries and dead letters on real Kafka (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('blocking retry: a message whose handler throws once is handled again, not lost', async () => {
    const topic = unique('block');
    await createTopics([topic]);
    const inbox = new Inbox<{ payload: unknown; attempt: number }>();
    let failed = false;
    const groupId = unique('block-group');
    @Injectable()
    class Flaky {
      @KafkaListener({
        topics: topic,
        groupId,
        fromBeginning: true,
        retry: { attempts: 3, backoff: { initialMs: 50 } },
      })
      handle(payload: unknown, mctx: KafkaMessageContext): void {
        inbox.push({ payload, attempt: mctx.attempt });
        if (!failed) {
          failed = true;
          throw new Error('transient');
        }
      }
    }
    ctx = await bootMessagingApp([Flaky]);
    await ctx.producer.send(topic, { n: 1 });
    await ctx.producer.send(topic, { n: 2 });
    const items = await inbox.waitFor(3);
    expect(items).toEqual([
      { payload: { n: 1 }, attempt: 1 },
      { payload: { n: 1 }, attempt: 2 },
      { payload: { n: 2 }, attempt: 1 },
    ]);
    expect(await metricValue(ctx.registry, 'keel_kafka_retries_total', { topic })).toBe(1);
  });

  it('non-blocking retry: good messages keep flowing, the poison one reaches the DLT with all headers', async () => {
    const topic = unique('poison');
    await createTopics([topic]);
    const inbox = new Inbox<{ n: number; attempt: number; topic: string; at: number }>();
    const groupId = unique('poison-group');
    @Injectable()
    class Payments {
      @KafkaListener({
        topics: topic,
        groupId,
        fromBeginning: true,
        retry: { attempts: 3, nonBlocking: true, backoff: { initialMs: 300, multiplier: 2 } },
      })
      handle(payload: { n: number }, mctx: KafkaMessageContext): void {
        inbox.push({ n: payload.n, attempt: mctx.attempt, topic: mctx.topic, at: Date.now() });
        if (payload.n === 3) throw new TypeError('poison payment 3');
      }
    }
    ctx = await bootMessagingApp([Payments]);
    const started = Date.now();
    await ctx.producer.sendBatch(
      topic,
      [1, 2, 3, 4, 5].map((n) => ({
        value: { n },
        key: `key-${n}`,
        headers: { 'x-origin': 'test' },
      })),
    );
    await inbox.waitFor(7); // 5 first attempts + 2 retries of #3
    const good = inbox.items.filter((i) => i.n !== 3);
    expect(good.map((i) => i.n)).toEqual([1, 2, 4, 5]);
    const poison = inbox.items.filter((i) => i.n === 3);
    expect(poison.map((i) => [i.attempt, i.topic])).toEqual([
      [1, topic],
      [2, `${topic}.retry.1`],
      [3, `${topic}.retry.2`],
    ]);
    // 4 and 5 did not wait for the retries; the retries waited their delays (300, then 600 ms)
    expect(Math.max(...good.map((i) => i.at))).toBeLessThan(poison[1].at);
    expect(poison[1].at - poison[0].at).toBeGreaterThanOrEqual(250);
    expect(poison[2].at - poison[1].at).toBeGreaterThanOrEqual(550);

    const [dead] = await readTopic(`${topic}.DLT`, 1);
    expect(JSON.parse(dead.value!.toString())).toEqual({ n: 3 });
    expect(dead.key?.toString()).toBe('key-3');
    expect(header(dead, 'x-origin')).toBe('test');
    expect(header(dead, DLT_HEADERS.exceptionName)).toBe('TypeError');
    expect(header(dead, DLT_HEADERS.exceptionMessage)).toBe('poison payment 3');
    expect(header(dead, DLT_HEADERS.originalTopic)).toBe(topic);
    expect(header(dead, DLT_HEADERS.originalPartition)).toBe('0');
    expect(header(dead, DLT_HEADERS.originalOffset)).toBe('2');
    expect(Number(header(dead, DLT_HEADERS.originalTimestamp))).toBeGreaterThanOrEqual(
      started - 1000,
    );
    expect(header(dead, DLT_HEADERS.attempts)).toBe('3');
    expect(await metricValue(ctx.registry, 'keel_kafka_dlt_total', { topic })).toBe(1);
    expect(await metricValue(ctx.registry, 'keel_kafka_retries_total', { topic })).toBe(2);
    expect(
      await metricValue(ctx.registry, 'keel_kafka_consumed_total', { topic, outcome: 'success' }),
    ).toBe(4);
  });

  it('sends schema-invalid and non-JSON payloads and non-retryable errors to the DLT at once', async () => {
    const topic = unique('schema');
    await createTopics([topic]);
    const inbox = new Inbox<PaymentEvent>();
    @Injectable()
    class Strict {
      @KafkaListener({
        topics: topic,
        fromBeginning: true,
        schema: PaymentEvent,
        retry: { attempts: 5, backoff: { initialMs: 50 }, noRetryOn: [NotRetryable] },
      })
      handle(payload: PaymentEvent): void {
        if (payload.id === 'nope') throw new NotRetryable('refused');
        inbox.push(payload);
      }
    }
    ctx = await bootMessagingApp([Strict]);
    await ctx.producer.sendRaw(topic, [{ value: '{not json' }]);
    await ctx.producer.send(topic, { id: 'p1', amount: 0 });
    await ctx.producer.send(topic, { id: 'nope', amount: 2 });
    await ctx.producer.send(topic, { id: 'p2', amount: 7 });
    const [ok] = await inbox.waitFor(1);
    expect(ok).toBeInstanceOf(PaymentEvent);
    expect(ok).toEqual({ id: 'p2', amount: 7 });
    const dead = await readTopic(`${topic}.DLT`, 3);
    expect(dead.map((m) => header(m, DLT_HEADERS.exceptionName))).toEqual([
      'MessageValidationError',
      'MessageValidationError',
      'NotRetryable',
    ]);
    expect(header(dead[0], DLT_HEADERS.exceptionMessage)).toMatch(/not JSON/);
    expect(dead[0].value?.toString()).toBe('{not json');
    expect(header(dead[1], DLT_HEADERS.exceptionMessage)).toMatch(/amount must not be less than 1/);
    expect(dead.map((m) => header(m, DLT_HEADERS.attempts))).toEqual(['1', '1', '1']);
    expect(inbox.items).toHaveLength(1);
  });
});
