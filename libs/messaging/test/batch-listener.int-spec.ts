import { Injectable } from '@nestjs/common';
import { getContext, newSpanId, newTraceId, runWithContext } from '@keel/core';
import { DLT_HEADERS, KafkaListener, type KafkaBatchContext } from '@keel/messaging';
import {
  bootMessagingApp,
  createTopics,
  Inbox,
  metricValue,
  readTopic,
  sleep,
  unique,
  type MessagingApp,
} from './support/messaging-app';

class NotRetryable extends Error {}

const header = (m: { headers?: Record<string, unknown> }, name: string) =>
  String((m.headers?.[name] as Buffer | undefined)?.toString() ?? '');

describe('@keel/messaging batch listeners on real Kafka (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('runs a batch in a span of the trace its messages share, with their request id', async () => {
    const topic = unique('batch-span');
    await createTopics([topic]);
    interface Seen {
      n: number;
      requestId?: string;
      traceId?: string;
      spanId?: string;
      parentSpanId?: string;
    }
    const inbox = new Inbox<Seen>();
    @Injectable()
    class Batches {
      @KafkaListener({ topics: topic, batch: true, fromBeginning: true })
      handle(payloads: { n: number }[]): void {
        const c = getContext();
        for (const { n } of payloads)
          inbox.push({
            n,
            requestId: c?.requestId,
            traceId: c?.traceId,
            spanId: c?.spanId,
            parentSpanId: c?.parentSpanId,
          });
      }
    }
    ctx = await bootMessagingApp([Batches]);
    const traceId = newTraceId();
    const producerSpan = newSpanId();
    const producer = ctx.producer;
    await runWithContext({ requestId: 'req-batch-1', traceId, spanId: producerSpan }, () =>
      producer.sendBatch(
        topic,
        [1, 2, 3].map((n) => ({ value: { n } })),
      ),
    );
    const seen = await inbox.waitFor(3);
    expect(seen.map((s) => s.n)).toEqual([1, 2, 3]);
    for (const s of seen) {
      expect(s).toMatchObject({ requestId: 'req-batch-1', traceId, parentSpanId: producerSpan });
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.spanId).not.toBe(producerSpan);
    }
  });

  it.each([
    ['a non-retryable error', { attempts: 3, noRetryOn: [NotRetryable] }, 1],
    ['retries running out', { attempts: 2 }, 2],
  ])(
    'after %s, each message is tried alone and only the poison one is dead-lettered',
    async (_what, retry, batchAttempts) => {
      const topic = unique('batch-poison');
      await createTopics([topic]);
      const calls = new Inbox<number[]>();
      const applied: number[] = [];
      @Injectable()
      class Batches {
        @KafkaListener({
          topics: topic,
          batch: true,
          fromBeginning: true,
          retry: { ...retry, backoff: { initialMs: 50 } },
        })
        handle(payloads: { n: number }[], bctx: KafkaBatchContext): void {
          const ns = payloads.map((p) => p.n);
          calls.push(ns);
          if (ns.includes(3)) {
            const Err = batchAttempts === 1 ? NotRetryable : Error;
            throw new Err(`payment 3 refused (attempt ${bctx.messages[0].attempt})`);
          }
          applied.push(...ns);
        }
      }
      ctx = await bootMessagingApp([Batches]);
      await ctx.producer.sendBatch(
        topic,
        [1, 2, 3, 4, 5].map((n) => ({ value: { n }, key: `k${n}` })),
      );
      const dead = await readTopic(`${topic}.DLT`, 1);
      expect(JSON.parse(dead[0].value!.toString())).toEqual({ n: 3 });
      await sleep(1_000); // anything else (wrongly) dead-lettered has been counted by now
      expect(dead[0].key?.toString()).toBe('k3');
      expect(header(dead[0], DLT_HEADERS.exceptionMessage)).toBe(
        `payment 3 refused (attempt ${batchAttempts + 1})`,
      );
      expect(header(dead[0], DLT_HEADERS.attempts)).toBe(String(batchAttempts + 1));
      expect(applied.sort()).toEqual([1, 2, 4, 5]);
      expect(await metricValue(ctx.registry, 'keel_kafka_dlt_total', { topic })).toBe(1);
      // the lone calls carried one message each
      const lone = calls.items.filter((c) => c.length === 1).map((c) => c[0]);
      expect(lone).toEqual(expect.arrayContaining([3]));
    },
  );
});
