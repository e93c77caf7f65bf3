import { LockArgumentError } from '@keel/lock';
import { RedisClusterFixture, startRedisCluster } from '../../../test/support/redis-cluster';
import { bootLockApp, LockApp } from './support/lock-app';

describe('@keel/lock on a real 3-master Redis Cluster (integration)', () => {
  let cluster: RedisClusterFixture;
  let ctx: LockApp;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    ctx = await bootLockApp({ redis: cluster.client(), waitMs: 3_000 });
  });
  afterAll(async () => {
    await ctx?.app.close();
    await cluster?.stop();
  });

  it('locks, fences and wakes a waiter by pub/sub across the cluster', async () => {
    const names = ['pay:1', 'pay:2', 'refund:77', 'settle:2026-11-26'];
    for (const name of names) {
      const a = await ctx.locks.acquire(name);
      expect(await ctx.locks.tryAcquire(name)).toBeNull();
      const started = Date.now();
      const waiting = ctx.locks.acquire(name);
      setTimeout(() => void a.release(), 100);
      const b = await waiting;
      expect(Date.now() - started).toBeLessThan(900); // woken, not polled at lease end
      expect(b.fencingToken).toBeGreaterThan(a.fencingToken);
      await b.release();
    }
  });

  it('takes several keys that share a hash tag, all or nothing', async () => {
    const h = await ctx.locks.acquire(['order:{42}:refund', 'order:{42}:capture']);
    expect(h.keys).toEqual(['order:{42}:capture', 'order:{42}:refund']);
    expect(await ctx.locks.tryAcquire('order:{42}:refund')).toBeNull();
    await h.release();
  });

  it('explains keys in different slots instead of blaming Redis', async () => {
    const err = await ctx.locks.acquire(['a:1', 'b:2']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockArgumentError);
    expect((err as Error).message).toMatch(/one hash slot.*order:\{42\}/);
  });
});
