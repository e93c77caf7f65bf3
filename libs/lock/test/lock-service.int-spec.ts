import Redis from 'ioredis';
import { freePort } from '../../../test/support/free-port';
import {
  LockArgumentError,
  LockBackendError,
  LockHandle,
  LockNotAcquiredError,
  LockService,
} from '@keel/lock';
import { bootLockApp, LockApp, metricValue, REDIS_URL, sleep } from './support/lock-app';

describe('LockService on real Redis (integration)', () => {
  let ctx: LockApp;
  let locks: LockService;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 0 });

  beforeAll(async () => {
    ctx = await bootLockApp({ leaseMs: 5_000, waitMs: 2_000 });
    locks = ctx.locks;
  });
  afterAll(async () => {
    await ctx.app.close();
    redis.disconnect();
  });

  it('acquires, reports a fencing token, and releases so another can acquire', async () => {
    const a = await locks.acquire('pay:1');
    expect(a.key).toBe('pay:1');
    expect(a.fencingToken).toBeGreaterThan(0);
    expect(a.signal.aborted).toBe(false);
    expect(await locks.tryAcquire('pay:1')).toBeNull();
    expect(await a.release()).toBe(true);
    const b = await locks.tryAcquire('pay:1');
    expect(b).not.toBeNull();
    expect(b!.fencingToken).toBe(a.fencingToken + 1);
    await b!.release();
  });

  it('mints strictly increasing tokens, also after the lock key expired', async () => {
    const first = await locks.acquire('pay:expiring', { leaseMs: 50, watchdog: false });
    await sleep(120); // lease ran out; the key is gone
    expect(first.isHeld).toBe(false);
    expect(first.signal.aborted).toBe(true);
    const second = await locks.acquire('pay:expiring');
    expect(second.fencingToken).toBeGreaterThan(first.fencingToken);
    // the stale holder's release must not delete the new holder's lock
    expect(await first.release()).toBe(false);
    expect(await locks.tryAcquire('pay:expiring')).toBeNull();
    await second.release();
  });

  it('release by a stale owner leaves the new owner alone (owner check in Lua)', async () => {
    const h = await locks.acquire('pay:owner', { leaseMs: 60, watchdog: false });
    await sleep(100);
    const next = await locks.acquire('pay:owner');
    // bypass the handle state: ask Redis directly through a second release
    expect(await h.release()).toBe(false);
    expect(next.isHeld).toBe(true);
    const prefixKeys = await redis.keys('*{pay:owner}');
    expect(prefixKeys.length).toBe(1);
    await next.release();
  });

  it('extend keeps the lock past its first lease', async () => {
    const h = await locks.acquire('pay:extend', { leaseMs: 150, watchdog: false });
    await sleep(80);
    await h.extend(400);
    await sleep(150);
    expect(h.isHeld).toBe(true);
    expect(await locks.tryAcquire('pay:extend')).toBeNull();
    await h.release();
  });

  it('waits for a busy lock and gets it when released (pub/sub wake-up, not the lease)', async () => {
    const holder = await locks.acquire('pay:wait', { leaseMs: 10_000 });
    const started = Date.now();
    const waiting = locks.acquire('pay:wait', { waitMs: 5_000 });
    await sleep(100);
    await holder.release();
    const got = await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(got.fencingToken).toBeGreaterThan(holder.fencingToken);
    await got.release();
  });

  it('gives up after waitMs with LockNotAcquiredError naming the key and the wait', async () => {
    const holder = await locks.acquire('pay:timeout');
    const started = Date.now();
    const err = await locks.acquire('pay:timeout', { waitMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockNotAcquiredError);
    expect((err as LockNotAcquiredError).keys).toEqual(['pay:timeout']);
    expect((err as LockNotAcquiredError).waitedMs).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(
      await metricValue(ctx.registry, 'keel_lock_acquire_total', {
        name: 'adhoc',
        result: 'timeout',
      }),
    ).toBeGreaterThan(0);
    await holder.release();
  });

  it('takes several keys all or nothing, never a partial hold', async () => {
    const b = await locks.acquire('multi:b');
    expect(await locks.tryAcquire(['multi:c', 'multi:a', 'multi:b'])).toBeNull();
    // nothing of the failed multi-key attempt is held
    const a = await locks.tryAcquire('multi:a');
    const c = await locks.tryAcquire('multi:c');
    expect(a).not.toBeNull();
    expect(c).not.toBeNull();
    await Promise.all([a!.release(), c!.release(), b.release()]);
    const all = await locks.acquire(['multi:c', 'multi:a', 'multi:b']);
    expect(all.keys).toEqual(['multi:a', 'multi:b', 'multi:c']);
    expect(all.fencingTokens).toHaveLength(3);
    expect(await locks.tryAcquire('multi:b')).toBeNull();
    await all.release();
    expect(await locks.tryAcquire('multi:b')).not.toBeNull();
  });

  it('is reentrant within one async call chain and exposes the current handle', async () => {
    let inner: LockHandle | undefined;
    const result = await locks.using('pay:reentrant', {}, async (outer) => {
      expect(locks.current('pay:reentrant')).toBe(outer);
      // same chain, same key: no deadlock, same token
      return locks.using('pay:reentrant', { waitMs: 200 }, (h) => {
        inner = h;
        return h.fencingToken === outer.fencingToken;
      });
    });
    expect(result).toBe(true);
    expect(inner).toBeDefined();
    expect(locks.current('pay:reentrant')).toBeUndefined();
    // a different call chain is not reentrant
    const again = await locks.tryAcquire('pay:reentrant');
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('keeps working after Redis forgot its scripts (SCRIPT FLUSH, as after a restart)', async () => {
    await redis.script('FLUSH');
    const a = await locks.acquire('pay:flushed');
    await redis.script('FLUSH');
    expect(await locks.tryAcquire('pay:flushed')).toBeNull();
    await redis.script('FLUSH');
    expect(await a.release()).toBe(true);
    const b = await locks.tryAcquire('pay:flushed');
    expect(b!.fencingToken).toBe(a.fencingToken + 1);
    await b!.release();
  });

  it('rejects bad input with LockArgumentError that says what was wrong', async () => {
    await expect(locks.acquire('')).rejects.toThrow(LockArgumentError);
    await expect(locks.acquire('')).rejects.toThrow(/non-empty string/);
    await expect(locks.acquire([])).rejects.toThrow(/no lock key/);
    await expect(locks.acquire('k', { leaseMs: 0 })).rejects.toThrow(
      /leaseMs must be a finite number >= 1/,
    );
    await expect(locks.acquire('k', { leaseMs: -5 })).rejects.toThrow(LockArgumentError);
    await expect(locks.tryAcquire('k', { waitMs: -1 })).rejects.toThrow(/waitMs/);
  });
});

describe('LockService with Redis unreachable (integration)', () => {
  it('fails within its wait budget with LockBackendError, never hangs', async () => {
    const port = await freePort();
    const ctx = await bootLockApp({ redis: `redis://127.0.0.1:${port}`, waitMs: 1_500 });
    try {
      const started = Date.now();
      const err = await ctx.locks.acquire('down:1').catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(LockBackendError);
      expect(elapsed).toBeLessThan(1_500 + 1_200);
      expect(
        await metricValue(ctx.registry, 'keel_lock_acquire_total', {
          name: 'adhoc',
          result: 'error',
        }),
      ).toBe(1);
    } finally {
      await ctx.app.close();
    }
  });
});
