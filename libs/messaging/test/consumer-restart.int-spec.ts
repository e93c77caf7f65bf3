import { Injectable } from '@nestjs/common';
import { KEEL_CONSUMER_STATUS, type KeelConsumerStatusSource } from '@keel/core/internal';
import { KafkaListener } from '@keel/messaging';
import { MessageDispatcher } from '../src/message-dispatcher';
import {
  bootMessagingApp,
  createTopics,
  Inbox,
  sleep,
  unique,
  type MessagingApp,
} from './support/messaging-app';

describe('@keel/messaging consumer crash and restart (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
    await ctx?.app.close();
    ctx = undefined;
  });

  it('restarts a crashed consumer with backoff, reports it to health, and loses nothing', async () => {
    const topic = unique('crashing');
    await createTopics([topic]);
    const inbox = new Inbox<number>();
    @Injectable()
    class Listener {
      @KafkaListener({ topics: topic, fromBeginning: true })
      handle(payload: { n: number }): void {
        inbox.push(payload.n);
      }
    }
    ctx = await bootMessagingApp([Listener], { restart: { initialMs: 300, maxMs: 1_000 } });
    // a bug outside the handler's error handling: kafkajs takes a TypeError from eachBatch as
    // non-retriable and crashes the consumer without restarting it; Keel restarts it
    const dispatch = jest.spyOn(MessageDispatcher.prototype, 'dispatch');
    dispatch.mockImplementationOnce(() => {
      throw new TypeError('injected fault');
    });
    const health = ctx.app.get<KeelConsumerStatusSource>(KEEL_CONSUMER_STATUS);
    const seen = new Set<string>();
    const watching = (async () => {
      for (let i = 0; i < 400 && inbox.items.length < 2; i++) {
        for (const c of health.consumers()) seen.add(c.state);
        await sleep(25);
      }
    })();
    await ctx.producer.send(topic, { n: 1 });
    await ctx.producer.send(topic, { n: 2 });
    expect(await inbox.waitFor(2, 30_000)).toEqual([1, 2]);
    await watching;
    const [status] = ctx.status.consumers();
    expect(status.restarts).toBe(1);
    expect(status.lastError).toContain('injected fault');
    expect(seen.has('restarting')).toBe(true);
    await ctx.status.whenRunning(10_000);
    expect(ctx.status.isHealthy()).toBe(true);
  });
});
