import { ConsoleLogger, Logger } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { KafkaListener } from '@keel/messaging';
import {
  bootMessagingApp,
  createTopics,
  Inbox,
  metricValue,
  REDIS_URL,
  sleep,
  unique,
  type MessagingApp,
} from './support/messaging-app';
import { delivery, dispatcherRig, type DispatcherRig } from './support/dispatcher-rig';

/** A promise the test opens when it wants the handler to finish. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

describe('@keel/messaging idempotent claims on real Redis (integration)', () => {
  const rigs: DispatcherRig[] = [];
  const redis = new Redis(REDIS_URL);
  // the failing handler's "Dropped ..." line is expected; the assertions are what matters
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    await Promise.all(rigs.map((r) => r.close()));
    redis.disconnect();
  });

  it('two instances racing on one message: the handler runs once, the second defers, then skips it', async () => {
    const keyPrefix = `${unique('claim')}:`;
    const groupId = unique('claim-group');
    const topic = unique('claim-topic');
    const runs: string[] = [];
    const release = gate();
    const handle = async (payload: unknown): Promise<void> => {
      runs.push((payload as { n: string }).n);
      await release.wait; // the first delivery is still running when the second arrives
    };
    const opts = { topics: topic, groupId, idempotent: true };
    const a = dispatcherRig(handle, opts, { keyPrefix });
    const b = dispatcherRig(handle, opts, { keyPrefix });
    rigs.push(a, b);

    const first = a.dispatcher.dispatch(delivery(topic, 'pay-1', { n: 'a' }));
    while (runs.length === 0) await sleep(10);
    // the old check-then-act ran it a second time here
    const second = await Promise.race([
      b.dispatcher.dispatch(delivery(topic, 'pay-1', { n: 'b' })),
      sleep(3_000).then(() => 'still running' as const),
    ]);
    expect(runs).toEqual(['a']);
    expect(second).toMatchObject({ kind: 'defer' });
    const dueAt = (second as { dueAt: number }).dueAt;
    expect(dueAt).toBeGreaterThan(Date.now());
    expect(dueAt).toBeLessThanOrEqual(Date.now() + 1_000);

    release.open();
    expect(await first).toEqual({ kind: 'done' });
    // the deferred delivery comes back: the holder succeeded, so it is skipped
    expect(await b.dispatcher.dispatch(delivery(topic, 'pay-1', { n: 'b' }))).toEqual({
      kind: 'done',
    });
    expect(runs).toEqual(['a']);
    expect(
      await metricValue(b.registry, 'keel_kafka_consumed_total', { topic, outcome: 'duplicate' }),
    ).toBe(1);
    const key = `${keyPrefix}${groupId}:pay-1`;
    expect(await redis.get(key)).toBe('1');
    expect(await redis.pttl(key)).toBeGreaterThan(23 * 3600_000);
    await redis.del(key);
  });

  it('a holder whose handler fails releases the claim: the redelivery runs it at once', async () => {
    const keyPrefix = `${unique('claim')}:`;
    const groupId = unique('claim-group');
    const topic = unique('claim-topic');
    const runs: string[] = [];
    const handle = (payload: unknown): void => {
      const { n } = payload as { n: string };
      runs.push(n);
      if (n === 'a') throw new Error('db hiccup');
    };
    const opts = { topics: topic, groupId, idempotent: true, dlt: false, retry: { attempts: 1 } };
    const a = dispatcherRig(handle, opts, { keyPrefix });
    const b = dispatcherRig(handle, opts, { keyPrefix });
    rigs.push(a, b);
    expect(await a.dispatcher.dispatch(delivery(topic, 'pay-2', { n: 'a' }))).toEqual({
      kind: 'done',
    });
    const key = `${keyPrefix}${groupId}:pay-2`;
    expect(await redis.exists(key)).toBe(0); // a failure is neither marked nor left claimed
    expect(await b.dispatcher.dispatch(delivery(topic, 'pay-2', { n: 'b' }))).toEqual({
      kind: 'done',
    });
    expect(runs).toEqual(['a', 'b']);
    expect(await redis.get(key)).toBe('1');
    await redis.del(key);
  });

  it('a slow handler keeps its claim past the claim TTL (it is renewed while it runs)', async () => {
    const keyPrefix = `${unique('claim')}:`;
    const groupId = unique('claim-group');
    const topic = unique('claim-topic');
    const runs: string[] = [];
    const handle = async (payload: unknown): Promise<void> => {
      runs.push((payload as { n: string }).n);
      if (runs.length === 1) await sleep(1_200); // four claim TTLs
    };
    const opts = { topics: topic, groupId, idempotent: true };
    const a = dispatcherRig(handle, opts, { keyPrefix, claimTtlMs: 300 });
    const b = dispatcherRig(handle, opts, { keyPrefix, claimTtlMs: 300 });
    rigs.push(a, b);
    const first = a.dispatcher.dispatch(delivery(topic, 'pay-3', { n: 'a' }));
    await sleep(900);
    expect(await b.dispatcher.dispatch(delivery(topic, 'pay-3', { n: 'b' }))).toMatchObject({
      kind: 'defer',
    });
    expect(await first).toEqual({ kind: 'done' });
    expect(runs).toEqual(['a']);
    await redis.del(`${keyPrefix}${groupId}:pay-3`);
  });

  it('checks the store again before each blocking retry: handled or taken over meanwhile, it does not run again', async () => {
    const keyPrefix = `${unique('claim')}:`;
    const groupId = unique('claim-group');
    const topic = unique('claim-topic');
    const runs: string[] = [];
    const handle = (payload: unknown): void => {
      runs.push((payload as { n: string }).n);
      throw new Error('db hiccup');
    };
    const opts = {
      topics: topic,
      groupId,
      idempotent: true,
      retry: { attempts: 2, backoff: { initialMs: 600, jitter: 0 } },
    };
    const a = dispatcherRig(handle, opts, { keyPrefix });
    rigs.push(a);
    // during the wait, another instance handled it (our claim had lapsed, say)
    const done = a.dispatcher.dispatch(delivery(topic, 'pay-4', { n: 'a' }));
    await sleep(200);
    await redis.set(`${keyPrefix}${groupId}:pay-4`, '1', 'PX', 60_000);
    expect(await done).toEqual({ kind: 'done' });
    expect(runs).toEqual(['a']);
    expect(
      await metricValue(a.registry, 'keel_kafka_consumed_total', { topic, outcome: 'duplicate' }),
    ).toBe(1);
    // during the wait, another instance claimed it: this one steps back and looks again later
    const busy = a.dispatcher.dispatch(delivery(topic, 'pay-5', { n: 'b' }));
    await sleep(200);
    await redis.set(`${keyPrefix}${groupId}:pay-5`, 'claim:other', 'PX', 60_000);
    expect(await busy).toMatchObject({ kind: 'defer' });
    expect(runs).toEqual(['a', 'b']);
    await redis.del(`${keyPrefix}${groupId}:pay-4`, `${keyPrefix}${groupId}:pay-5`);
  });

  it('on Kafka: a message another instance holds waits, its partition paused, and runs once the claim is given up', async () => {
    const topic = unique('claim-kafka');
    await createTopics([topic]);
    const groupId = unique('claim-kafka-group');
    const keyPrefix = `${unique('claim')}:`;
    const held = `${keyPrefix}${groupId}:msg-x`;
    // another instance's claim, as its in-progress delivery leaves it
    await redis.set(held, 'claim:other-instance', 'PX', 60_000);
    const inbox = new Inbox<string>();
    @Injectable()
    class Ledger {
      @KafkaListener({ topics: topic, groupId, fromBeginning: true, idempotent: true })
      apply(payload: { id: string }): void {
        inbox.push(payload.id);
      }
    }
    let ctx: MessagingApp | undefined;
    try {
      ctx = await bootMessagingApp([Ledger], { idempotency: { redis: REDIS_URL, keyPrefix } });
      for (const id of ['x', 'y'])
        await ctx.producer.send(topic, { id }, { headers: { 'x-message-id': `msg-${id}` } });
      await sleep(3_000); // x is looked at again every second and found busy; y waits behind it
      expect(inbox.items).toEqual([]);
      await redis.del(held); // the holder's handler failed: it released the claim
      expect(await inbox.waitFor(2, 10_000)).toEqual(['x', 'y']);
      await sleep(500);
      expect(inbox.items).toEqual(['x', 'y']);
    } finally {
      await ctx?.app.close();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });

  it('on Kafka, batch listener: the batch stops before a message held elsewhere, which is fetched again once released', async () => {
    const topic = unique('claim-batch');
    await createTopics([topic]);
    const groupId = unique('claim-batch-group');
    const keyPrefix = `${unique('claim')}:`;
    const held = `${keyPrefix}${groupId}:msg-2`;
    await redis.set(held, 'claim:other-instance', 'PX', 60_000);
    const calls = new Inbox<number[]>();
    @Injectable()
    class Ledger {
      @KafkaListener({ topics: topic, groupId, batch: true, fromBeginning: true, idempotent: true })
      apply(payloads: { n: number }[]): void {
        calls.push(payloads.map((p) => p.n));
      }
    }
    let ctx: MessagingApp | undefined;
    try {
      ctx = await bootMessagingApp([Ledger], { idempotency: { redis: REDIS_URL, keyPrefix } });
      await ctx.producer.sendBatch(
        topic,
        [1, 2, 3].map((n) => ({ value: { n }, headers: { 'x-message-id': `msg-${n}` } })),
      );
      await calls.waitFor(1);
      await sleep(2_500); // 2 is found busy each second; 3 waits behind it
      expect(calls.items.flat()).toEqual([1]);
      await redis.del(held);
      await calls.waitFor(2, 10_000);
      await sleep(500);
      expect(calls.items.flat()).toEqual([1, 2, 3]);
    } finally {
      await ctx?.app.close();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });
});
