import Redis from 'ioredis';
import { LockNotAcquiredError } from '@keel/lock';
import type { LockBackend } from '../src/backend/lock-backend';
import { LOCK_BACKEND } from '../src/lock.constants';
import { bootLockApp, LockApp, REDIS_URL, sleep } from './support/lock-app';

// Two apps on one key prefix stand for two processes: each has its own waiters and subscriber.
describe('fair queue and release announcements on real Redis (integration)', () => {
  let a: LockApp;
  let b: LockApp;
  const redis = new Redis(REDIS_URL);
  const sub = new Redis(REDIS_URL);
  const heard: string[] = [];

  beforeAll(async () => {
    a = await bootLockApp({ leaseMs: 10_000, waitMs: 5_000 });
    b = await bootLockApp({ keyPrefix: a.keyPrefix, leaseMs: 10_000, waitMs: 5_000 });
    // every process's own channel too: "<prefix>released:<process tag>"
    sub.on('pmessage', (_p: string, _c: string, message: string) => heard.push(message));
    await sub.psubscribe(`${a.keyPrefix}released*`);
  });
  afterAll(async () => {
    await a.app.close();
    await b.app.close();
    redis.disconnect();
    sub.disconnect();
  });

  const about = (name: string): string[] => heard.filter((m) => m.includes(`{${name}}`));
  const key = (name: string): string => `${a.keyPrefix}{${name}}`;

  /**
   * Puts a waiter that never retries at the head of a name's queue (entry "<id>|<lease>|<live>",
   * as ACQUIRE writes it), its last request `ago` ms back and live for `live` ms from it.
   */
  async function queueGhost(
    name: string,
    leaseMs: number,
    live: number,
    ago: number,
  ): Promise<void> {
    const entry = `ghost|${leaseMs}|${live}`;
    await redis.lpush(`${key(name)}:q`, entry);
    await redis.zadd(`${key(name)}:qt`, Date.now() - ago + live, entry);
  }

  it('announces a release only when someone waits for it', async () => {
    for (let i = 0; i < 20; i++) await (await a.locks.acquire('fq:quiet')).release();
    await sleep(150);
    expect(about('fq:quiet')).toEqual([]);

    const holder = await a.locks.acquire('fq:quiet');
    const waiting = b.locks.acquire('fq:quiet');
    await sleep(100);
    await holder.release();
    const got = await waiting;
    await got.release();
    await sleep(100);
    // the release it waited for named it; its own release found nobody waiting
    expect(about('fq:quiet')).toHaveLength(1);
    expect(about('fq:quiet')[0]).toMatch(/\n.+$/);
  });

  it('hands a released lock to the queued waiter: a newcomer cannot barge in', async () => {
    const holder = await a.locks.acquire('fq:fair');
    const waiting = a.locks.acquire('fq:fair');
    await sleep(100);
    await holder.release();
    // handed to the waiter by the release itself, not reserved for a second round trip
    expect(await redis.get(key('fq:fair'))).toMatch(/^[^>]/);
    // b has no waiters of its own, so it tries the lean first attempt at once
    expect(await b.locks.tryAcquire('fq:fair')).toBeNull();
    const got = await waiting;
    expect(got.fencingToken).toBe(holder.fencingToken + 1);
    await got.release();
    expect(await b.locks.tryAcquire('fq:fair')).not.toBeNull();
  });

  it('a newcomer cannot barge in after a lease ran out: the key goes to the queued waiter', async () => {
    const holder = await a.locks.acquire('fq:expired', { watchdog: false });
    const waiting = b.locks.acquire('fq:expired');
    await sleep(100);
    expect(await redis.llen(`${key('fq:expired')}:q`)).toBe(1);
    // the lease runs out (no release, so nobody is told); b sleeps until its next poll (~500 ms)
    await redis.pexpire(key('fq:expired'), 1);
    await sleep(5);
    expect(await redis.exists(key('fq:expired'))).toBe(0);
    // a has no waiters of its own on the name, so it tries the lean first attempt
    expect(await a.locks.tryAcquire('fq:expired')).toBeNull();
    const newcomer = a.locks.acquire('fq:expired');
    const got = await waiting;
    expect(got.fencingToken).toBe(holder.fencingToken + 1);
    await sleep(50);
    expect(
      await Promise.race([newcomer.then(() => 'newcomer'), sleep(0).then(() => 'queued')]),
    ).toBe('queued');
    await got.release();
    const next = await newcomer;
    expect(next.fencingToken).toBe(got.fencingToken + 1);
    await next.release();
    expect(await holder.release()).toBe(false);
  });

  it("a short-lease waiter that leaves does not take a long-lease waiter's place with it", async () => {
    const holder = await a.locks.acquire('fq:mixed');
    // live 1 s (polls every 500 ms), then one live 20 ms that gives up after 60 ms
    const long = b.locks.acquire('fq:mixed', { leaseMs: 10_000 });
    await sleep(50);
    await expect(a.locks.acquire('fq:mixed', { leaseMs: 20, waitMs: 60 })).rejects.toBeInstanceOf(
      LockNotAcquiredError,
    );
    await sleep(150); // well past the short waiter's 2 x 20 ms, well within the long one's 1 s
    expect(await redis.lrange(`${key('fq:mixed')}:q`, 0, -1)).toEqual([
      expect.stringMatching(/\|10000\|1000$/),
    ]);
    await holder.release();
    const got = await long;
    expect(got.fencingToken).toBe(holder.fencingToken + 1);
    await got.release();
  });

  it('a free key whose queued waiters all died is taken at once, also by a try', async () => {
    await queueGhost('fq:dead-queue', 1_000, 1_000, 5_000);
    const got = await a.locks.tryAcquire('fq:dead-queue');
    expect(got).not.toBeNull();
    expect(await redis.llen(`${key('fq:dead-queue')}:q`)).toBe(0);
    await got!.release();
  });

  it('keeps a turn reserved for a waiter that stopped retrying only until its liveness ends', async () => {
    const holder = await a.locks.acquire('fq:ghost');
    const started = Date.now();
    const waiting = b.locks.acquire('fq:ghost');
    await sleep(100);
    // its last request is older than half its lease: reserved, not handed over
    await queueGhost('fq:ghost', 2_000, 4_000, 2_800);
    await holder.release();
    expect(await a.locks.tryAcquire('fq:ghost')).toBeNull();
    const got = await waiting;
    const waited = Date.now() - started;
    // the ghost's turn (about 1.1 s left) was honoured, then the next waiter got the lock
    expect(waited).toBeGreaterThanOrEqual(1_100);
    expect(waited).toBeLessThan(1_200 + 1_000 + 500); // + one poll + slack
    await got.release();
  });

  it('holds a lock handed to a waiter that died until that lease ends, like any holder', async () => {
    const holder = await a.locks.acquire('fq:dead');
    const waiting = b.locks.acquire('fq:dead');
    await sleep(100);
    await queueGhost('fq:dead', 1_500, 4_000, 0);
    await holder.release();
    const released = Date.now();
    expect(await a.locks.tryAcquire('fq:dead')).toBeNull();
    const got = await waiting;
    const waited = Date.now() - released;
    expect(waited).toBeGreaterThanOrEqual(1_400);
    expect(waited).toBeLessThan(1_500 + 1_000 + 500); // + one poll + slack
    expect(got.fencingToken).toBe(holder.fencingToken + 2); // the dead waiter's grant had one
    await got.release();
  });

  it('passes on a lock handed to a waiter that gives up', async () => {
    const holder = await a.locks.acquire('fq:leave');
    const waiting = b.locks.acquire('fq:leave');
    await sleep(100);
    await queueGhost('fq:leave', 60_000, 60_000, 0);
    await holder.release();
    await sleep(50);
    expect(await a.locks.tryAcquire('fq:leave')).toBeNull();
    const left = Date.now();
    await a.app.get<LockBackend>(LOCK_BACKEND).leave(['fq:leave'], 'ghost');
    const got = await waiting;
    // woken by the announcement that names it, not by its next poll (up to 1 s)
    expect(Date.now() - left).toBeLessThan(700);
    await got.release();
  });

  it('works on a client with its own ioredis keyPrefix: keys under it, waiters still woken', async () => {
    const client = new Redis(REDIS_URL, { keyPrefix: 'svc7:' });
    const c = await bootLockApp({ redis: client, leaseMs: 10_000, waitMs: 5_000 });
    try {
      const holder = await c.locks.acquire('fq:prefixed');
      expect(await redis.exists(`svc7:${c.keyPrefix}{fq:prefixed}`)).toBe(1);
      const started = Date.now();
      const waiting = c.locks.acquire('fq:prefixed');
      await sleep(100);
      await holder.release();
      const got = await waiting;
      expect(Date.now() - started).toBeLessThan(900); // announced, not polled (1 s)
      await got.release();
      expect(await redis.exists(`svc7:${c.keyPrefix}{fq:prefixed}`)).toBe(0);
    } finally {
      await c.app.close();
      client.disconnect();
    }
  });

  it('a waiter that missed its announcement takes the lock handed to it on its next poll', async () => {
    const client = new Redis(REDIS_URL, { connectionName: 'keel-fq-deaf' });
    const c = await bootLockApp({ redis: client, keyPrefix: a.keyPrefix, leaseMs: 10_000 });
    try {
      const holder = await a.locks.acquire('fq:deaf');
      const started = Date.now();
      const waiting = c.locks.acquire('fq:deaf', { waitMs: 5_000 });
      await sleep(100);
      // cut c's subscriber only (ioredis reconnects it, too late for this release)
      const subs = String(await redis.client('LIST'))
        .split('\n')
        .filter((l) => l.includes('name=keel-fq-deaf') && !/ sub=0 /.test(l));
      expect(subs).toHaveLength(1);
      await redis.client('KILL', 'ID', /id=(\d+)/.exec(subs[0])![1]);
      await holder.release();
      // handed to the waiter outright (its token, not a reservation), with nobody told
      expect(await redis.get(key('fq:deaf'))).toMatch(/^[^>]/);
      const got = await waiting;
      const waited = Date.now() - started;
      // not woken (that takes ~100 ms): its poll, every min(lease, pollMaxMs) / 2 = 500 ms,
      // found the lock its own
      expect(waited).toBeGreaterThan(350);
      expect(waited).toBeLessThan(2_000);
      expect(got.fencingToken).toBe(holder.fencingToken + 1);
      expect(got.signal.aborted).toBe(false);
      await got.extend();
      expect(await got.release()).toBe(true);
    } finally {
      await c.app.close();
      client.disconnect();
    }
  });
});
