import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DistributedLock, LeaseLostError, LockService } from '@keel/lock';
import { bootLockApp, LockApp, metricValue, REDIS_URL, sleep } from './support/lock-app';

const LEASE = 300;

@Injectable()
class Settlement {
  lastSignal: AbortSignal | undefined;
  constructor(private readonly locks: LockService) {}

  @DistributedLock({ key: 'settle:{0}', leaseMs: LEASE })
  async run(_id: string, ms: number): Promise<string> {
    this.lastSignal = this.locks.current()!.signal;
    await sleep(ms);
    return 'done';
  }

  /** Honours the signal: stops as soon as the lease is lost. */
  @DistributedLock({ key: 'settle:{0}', leaseMs: LEASE })
  async runAbortable(_id: string, ms: number): Promise<string> {
    const signal = this.locks.current()!.signal;
    this.lastSignal = signal;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      });
    });
    return 'done';
  }

  @DistributedLock({ key: 'bounded:{0}', leaseMs: LEASE, maxHoldMs: 400 })
  async bounded(_id: string, ms: number): Promise<string> {
    await sleep(ms);
    return 'done';
  }
}

describe('watchdog on real Redis (integration)', () => {
  let ctx: LockApp;
  let other: LockApp;
  let settlement: Settlement;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    ctx = await bootLockApp({}, { providers: [Settlement] });
    settlement = ctx.app.get(Settlement);
    // a second app on the same prefix plays another instance of the service
    other = await bootLockApp({ keyPrefix: ctx.keyPrefix });
  });
  afterAll(async () => {
    await other.app.close();
    await ctx.app.close();
    redis.disconnect();
  });

  it('keeps the lock for a method running 3x the lease', async () => {
    const running = settlement.run('a', LEASE * 3);
    for (let i = 0; i < 4; i++) {
      await sleep(LEASE * 0.6);
      expect(await other.locks.tryAcquire('settle:a')).toBeNull();
    }
    await expect(running).resolves.toBe('done');
    expect(settlement.lastSignal!.aborted).toBe(false);
    const after = await other.locks.tryAcquire('settle:a');
    expect(after).not.toBeNull();
    await after!.release();
  });

  it('aborts with LeaseLostError when the key is forced away, and counts it', async () => {
    const prefix = ctx.keyPrefix;
    const running = settlement.runAbortable('b', LEASE * 4);
    await sleep(50);
    await redis.set(`${prefix}{settle:b}`, 'intruder', 'PX', 10_000);
    const started = Date.now();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect((err as LeaseLostError).keys).toEqual(['settle:b']);
    // detected at the next extension, within a lease/3 tick; the method honours the signal
    expect(Date.now() - started).toBeLessThan(LEASE);
    expect(settlement.lastSignal!.aborted).toBe(true);
    expect(settlement.lastSignal!.reason).toBeInstanceOf(LeaseLostError);
    expect(
      await metricValue(ctx.registry, 'keel_lock_lease_lost_total', {
        name: 'Settlement.runAbortable',
      }),
    ).toBe(1);
    // the intruder's value was not deleted by our release
    expect(await redis.get(`${prefix}{settle:b}`)).toBe('intruder');
  });

  it('a method that ignores the signal: the call rejects only once it has ended', async () => {
    const prefix = ctx.keyPrefix;
    const running = settlement.run('d', LEASE * 3);
    await sleep(50);
    await redis.set(`${prefix}{settle:d}`, 'intruder', 'PX', 10_000);
    const started = Date.now();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect(settlement.lastSignal!.aborted).toBe(true);
    // not at the loss (within a lease/3 tick) but when the method ended, LEASE * 3 after start
    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE * 3 - 50 - 30);
  });

  it('stops extending at maxHoldMs: the lease runs out and the call rejects', async () => {
    const err = await settlement.bounded('c', 2_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect((err as Error).message).toMatch(/maxHoldMs/);
  });
});
