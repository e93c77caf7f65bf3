import Redis from 'ioredis';
import { DedupeStoreError } from '@keel/messaging';
import { DedupeStore } from '../src/dedupe-store';
import { freePort } from '../../../test/support/free-port';
import { stackEnv } from '../../../test/support/stack-env';

describe('DedupeStore on real Redis (integration)', () => {
  const prefix = `keel:test:dedupe:${process.pid}:`;

  it('remembers a handled id for its TTL', async () => {
    const store = new DedupeStore(stackEnv.redisUrl, prefix, 2_000);
    const redis = new Redis(stackEnv.redisUrl);
    try {
      expect(await store.seen('g1', 'm-1')).toBe(false);
      await store.markHandled('g1', 'm-1', 60_000);
      expect(await store.seen('g1', 'm-1')).toBe(true);
      expect(await store.seen('g2', 'm-1')).toBe(false);
      const ttl = await redis.pttl(`${prefix}g1:m-1`);
      expect(ttl).toBeGreaterThan(59_000);
    } finally {
      await store.close();
      redis.disconnect();
    }
  });

  it('claims atomically: one claim at a time, renewable by its owner, expiring when not renewed', async () => {
    const store = new DedupeStore(stackEnv.redisUrl, prefix, 2_000, 300);
    const redis = new Redis(stackEnv.redisUrl);
    try {
      const outcomes = await Promise.all(
        ['t1', 't2', 't3'].map((token) => store.claim('g1', 'm-3', token)),
      );
      expect(outcomes.sort()).toEqual(['busy', 'busy', 'claimed']);
      const owner = (await redis.get(`${prefix}g1:m-3`))!;
      expect(['t1', 't2', 't3']).toContain(owner);
      expect(await store.claim('g1', 'm-3', owner)).toBe('claimed');
      expect(await store.seen('g1', 'm-3')).toBe(false); // in progress is not handled
      await store.release('g1', 'm-3', 'not-the-owner');
      expect(await redis.get(`${prefix}g1:m-3`)).toBe(owner);
      // a crashed owner stops renewing: its claim expires and another delivery may take it
      await new Promise((r) => setTimeout(r, 400));
      expect(await store.claim('g1', 'm-3', 'other')).toBe('claimed');
      await store.release('g1', 'm-3', 'other');
      expect(await redis.exists(`${prefix}g1:m-3`)).toBe(0);
      await store.markHandled('g1', 'm-3', 60_000);
      expect(await store.claim('g1', 'm-3', 'late')).toBe('done');
      expect(await store.seen('g1', 'm-3')).toBe(true);
      await redis.del(`${prefix}g1:m-3`);
    } finally {
      await store.close();
      redis.disconnect();
    }
  });

  it('with Redis unreachable, fails a lookup and a mark within its budget, saying which key', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const owned = new DedupeStore(url, prefix, 300);
    const client = new Redis(url, { lazyConnect: true });
    client.on('error', () => undefined);
    const given = new DedupeStore(client, prefix, 300);
    try {
      const calls = [() => owned.seen('g1', 'm-2'), () => given.markHandled('g1', 'm-2', 1_000)];
      for (const call of calls) {
        const started = Date.now();
        const err = await call().catch((e: unknown) => e);
        const took = Date.now() - started;
        expect(err).toBeInstanceOf(DedupeStoreError);
        expect((err as Error).message).toContain(`${prefix}g1:m-2`);
        // the budget, not ioredis's reconnect schedule (about 10 s)
        expect(took).toBeGreaterThanOrEqual(280);
        expect(took).toBeLessThan(1_000);
      }
    } finally {
      await owned.close();
      await given.close();
      client.disconnect();
    }
  });
});
