import { Injectable } from '@nestjs/common';
import { getContext, newSpanId, newTraceId, runWithContext } from '@keel/core';
import { KafkaListener, type KafkaBatchContext, type KafkaMessageContext } from '@keel/messaging';
import {
  bootMessagingApp,
  createTopics,
  Inbox,
  metricValue,
  unique,
  type MessagingApp,
} from './support/messaging-app';

interface Seen {
  payload: unknown;
  ctx: KafkaMessageContext;
  requestId?: string;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
}

describe('@keel/messaging round trip on real Kafka (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('delivers payload, key, headers and continues the trace; counts metrics', async () => {
    const topic = unique('rt');
    await createTopics([topic]);
    const inbox = new Inbox<Seen>();
    const groupId = unique('rt-group');
    @Injectable()
    class Listener {
      @KafkaListener({ topics: topic, groupId, fromBeginning: true })
      handle(payload: unknown, mctx: KafkaMessageContext): void {
        const c = getContext();
        inbox.push({
          payload,
          ctx: mctx,
          requestId: c?.requestId,
          traceId: c?.traceId,
          spanId: c?.spanId,
          parentSpanId: c?.parentSpanId,
        });
      }
    }
    ctx = await bootMessagingApp([Listener]);
    const traceId = newTraceId();
    const parentSpan = newSpanId();
    await runWithContext({ requestId: 'req-42', traceId, spanId: parentSpan }, () =>
      ctx!.producer.send(
        topic,
        { amount: 12.5, currency: 'EUR' },
        {
          key: 'payment-1',
          headers: { 'x-custom': 'yes' },
        },
      ),
    );
    const [seen] = await inbox.waitFor(1);
    expect(seen.payload).toEqual({ amount: 12.5, currency: 'EUR' });
    expect(seen.ctx.key).toBe('payment-1');
    expect(seen.ctx.topic).toBe(topic);
    expect(seen.ctx.attempt).toBe(1);
    expect(seen.ctx.headers['x-custom']).toBe('yes');
    expect(seen.ctx.headers['x-request-id']).toBe('req-42');
    expect(seen.ctx.signal.aborted).toBe(false);
    // trace continues: same trace id, the producer's span as parent, a new span in the handler
    expect(seen.traceId).toBe(traceId);
    expect(seen.requestId).toBe('req-42');
    expect(seen.ctx.headers.traceparent).toBe(`00-${traceId}-${parentSpan}-01`);
    expect(seen.parentSpanId).toBe(parentSpan);
    expect(seen.spanId).not.toBe(parentSpan);
    expect(seen.spanId).toMatch(/^[0-9a-f]{16}$/);

    const r = ctx.registry;
    expect(await metricValue(r, 'keel_kafka_produced_total', { topic, outcome: 'success' })).toBe(
      1,
    );
    expect(
      await metricValue(r, 'keel_kafka_consumed_total', {
        topic,
        group: groupId,
        outcome: 'success',
      }),
    ).toBe(1);
    expect(await metricValue(r, 'keel_kafka_handler_seconds', { topic, group: groupId })).toBe(1);
    expect(
      await metricValue(r, 'keel_kafka_consumer_lag', { topic, group: groupId, partition: '0' }),
    ).toBe(0);
    expect(ctx.status.consumers()).toEqual([
      expect.objectContaining({ groupId, state: 'running', topics: [topic] }),
    ]);
  });

  it('hands a batch listener the array and resolves offsets as it goes', async () => {
    const topic = unique('batch');
    await createTopics([topic]);
    const inbox = new Inbox<{ payloads: unknown[]; ctx: KafkaBatchContext }>();
    let total = 0;
    @Injectable()
    class BatchListener {
      @KafkaListener({ topics: topic, batch: true, fromBeginning: true })
      handle(payloads: number[], bctx: KafkaBatchContext): void {
        for (const m of bctx.messages) bctx.resolveOffset(m.offset);
        total += payloads.length;
        inbox.push({ payloads, ctx: bctx });
      }
    }
    ctx = await bootMessagingApp([BatchListener]);
    const values = Array.from({ length: 50 }, (_, i) => i);
    await ctx.producer.sendBatch(
      topic,
      values.map((value) => ({ value, key: `k${value}` })),
    );
    while (total < 50) await inbox.waitFor(inbox.items.length + 1);
    const all = inbox.items.flatMap((b) => b.payloads);
    expect(all).toEqual(values);
    const first = inbox.items[0];
    expect(Array.isArray(first.payloads)).toBe(true);
    expect(first.ctx.messages.map((m) => m.key)).toEqual(
      first.payloads.map((v) => `k${String(v)}`),
    );
  });
});
