import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  KafkaListener,
  KafkaProducer,
  MessagingModule,
  RetryBackoffError,
  type KafkaMessageContext,
} from '@keel/messaging';
import {
  BROKERS,
  bootMessagingApp,
  committedOffset,
  createTopics,
  Inbox,
  metricValue,
  sleep,
  unique,
  type MessagingApp,
} from './support/messaging-app';

describe('@keel/messaging blocking retry and the consumer session on real Kafka (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('heartbeats while it waits: a handler plus backoff longer than sessionTimeout keeps the member, the message is applied once', async () => {
    const topic = unique('beat');
    await createTopics([topic]);
    const groupId = unique('beat-group');
    const seen = new Inbox<number>();
    const applied: number[] = [];
    @Injectable()
    class Slow {
      // 3 s of work, then a 5.5 s wait: 8.5 s without a heartbeat unless the wait sends them,
      // past the 6 s session (the wait alone passes the boot check: 5.5 s < 6 s)
      @KafkaListener({
        topics: topic,
        groupId,
        fromBeginning: true,
        retry: { attempts: 2, backoff: { initialMs: 5_500, jitter: 0 } },
      })
      async handle(payload: { n: number }, mctx: KafkaMessageContext): Promise<void> {
        seen.push(mctx.attempt);
        if (mctx.attempt === 1) {
          await sleep(3_000);
          throw new Error('ledger timed out');
        }
        applied.push(payload.n);
      }
    }
    ctx = await bootMessagingApp([Slow], {
      consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 },
    });
    await ctx.producer.send(topic, { n: 1 });
    await seen.waitFor(2, 30_000);
    // an evicted member's commit fails and the group hands the message out again (attempt 1)
    await sleep(5_000);
    expect(seen.items).toEqual([1, 2]);
    expect(applied).toEqual([1]);
    expect(await committedOffset(groupId, topic)).toBe(1);
    expect(
      await metricValue(ctx.registry, 'keel_kafka_consumed_total', { topic, outcome: 'success' }),
    ).toBe(1);
  });

  it('refuses to boot a backoff whose single wait reaches sessionTimeout (6 s session, 8 s backoff)', async () => {
    @Injectable()
    class TooSlow {
      @KafkaListener({
        topics: unique('beat-boot'),
        retry: { attempts: 2, backoff: { initialMs: 8_000, jitter: 0 } },
      })
      handle(): void {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRoot({
          brokers: BROKERS,
          clientId: unique('app'),
          registry: new Registry(),
          kafka: { logLevel: logLevel.NOTHING },
          consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 },
        }),
      ],
      providers: [TooSlow],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      const boot = app.init();
      await expect(boot).rejects.toThrow(RetryBackoffError);
      await expect(boot).rejects.toThrow(
        'TooSlow.handle(): retry.backoff.initialMs is 8000 ms, so one blocking retry can wait ' +
          'up to 8000 ms (its largest delay plus jitter), which reaches consumer.sessionTimeout ' +
          '(6000 ms)',
      );
    } finally {
      // a failed init runs no shutdown hooks: stop the producer that started connecting
      await sleep(500);
      await app.get(KafkaProducer).onApplicationShutdown();
      await app.close();
    }
  });
});
