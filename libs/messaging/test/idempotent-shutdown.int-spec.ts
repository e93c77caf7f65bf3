import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { KafkaListener, type KafkaMessageContext } from '@keel/messaging';
import {
  bootMessagingApp,
  committedOffset,
  createTopics,
  Inbox,
  metricValue,
  REDIS_URL,
  sleep,
  unique,
  type MessagingApp,
} from './support/messaging-app';

describe('@keel/messaging idempotent consumers and shutdown on real Kafka and Redis (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('skips a redelivered message whose handler already succeeded, and marks only after success', async () => {
    const topic = unique('idem');
    await createTopics([topic]);
    const groupId = unique('idem-group');
    const keyPrefix = `${unique('dedupe')}:`;
    const inbox = new Inbox<{ id: string; attempt: number }>();
    let failOnce = true;
    @Injectable()
    class Ledger {
      @KafkaListener({
        topics: topic,
        groupId,
        fromBeginning: true,
        idempotent: { ttlMs: 60_000 },
        retry: { attempts: 2, backoff: { initialMs: 20 } },
      })
      apply(payload: { id: string }, mctx: KafkaMessageContext): void {
        inbox.push({ id: payload.id, attempt: mctx.attempt });
        if (payload.id === 'b' && failOnce) {
          failOnce = false;
          throw new Error('db hiccup');
        }
      }
    }
    ctx = await bootMessagingApp([Ledger], { idempotency: { redis: REDIS_URL, keyPrefix } });
    const send = (id: string) =>
      ctx!.producer.send(topic, { id }, { headers: { 'x-message-id': `msg-${id}` } });
    await send('a');
    await send('b'); // fails once, then succeeds: must still be handled, and then be marked
    await send('a'); // redelivery of a
    await send('b'); // redelivery of b
    await send('c');
    await inbox.waitFor(4);
    await sleep(500); // give the duplicates time to (wrongly) arrive
    expect(inbox.items).toEqual([
      { id: 'a', attempt: 1 },
      { id: 'b', attempt: 1 },
      { id: 'b', attempt: 2 },
      { id: 'c', attempt: 1 },
    ]);
    expect(
      await metricValue(ctx.registry, 'keel_kafka_consumed_total', { topic, outcome: 'duplicate' }),
    ).toBe(2);
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${keyPrefix}*`);
      expect(keys.sort()).toEqual(['a', 'b', 'c'].map((id) => `${keyPrefix}${groupId}:msg-${id}`));
      expect(await redis.pttl(keys[0])).toBeGreaterThan(50_000);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('on close, lets the in-flight handler finish and commits its offset', async () => {
    const topic = unique('drain');
    await createTopics([topic]);
    const groupId = unique('drain-group');
    const started = new Inbox<number>();
    const finished: { n: number; abortedAtEnd: boolean }[] = [];
    @Injectable()
    class Slow {
      @KafkaListener({ topics: topic, groupId, fromBeginning: true })
      async handle(payload: { n: number }, mctx: KafkaMessageContext): Promise<void> {
        started.push(payload.n);
        await sleep(1_500); // ignores the signal on purpose: shutdown must still wait
        finished.push({ n: payload.n, abortedAtEnd: mctx.signal.aborted });
      }
    }
    ctx = await bootMessagingApp([Slow]);
    await ctx.producer.send(topic, { n: 1 });
    await ctx.producer.send(topic, { n: 2 });
    await started.waitFor(1);
    const app = ctx.app;
    ctx = undefined;
    await app.close();
    // n=1 finished (the signal told it about the shutdown); n=2 was never started
    expect(finished).toEqual([{ n: 1, abortedAtEnd: true }]);
    expect(started.items).toEqual([1]);
    expect(await committedOffset(groupId, topic)).toBe(1);
  });
});
