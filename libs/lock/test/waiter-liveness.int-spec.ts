import type { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { bootLockApp, LockApp, REDIS_URL, sleep } from './support/lock-app';
import { printed, spawnWorker } from './support/spawn-worker';

const LEASE = 300;
// the lock runs out <= LEASE after its last extension, the holder's queued waiter drops out
// <= LEASE after its last poll, and B polls at least every LEASE / 2: about 450 ms in all.
// The old liveness (3 x pollMaxMs + 1 s) made it 4.2 s.
const RECOVERED_WITHIN = 1_200;

async function until(what: string, cond: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

// Process A holds the key and has a second waiter queued on it; process B (this one) queues
// behind that waiter. When A dies or stops, its waiter stops polling too: B must get the key at
// about the lease's end, not after the dead waiter's old liveness.
describe('a holder that dies or stops with a waiter of its own queued (integration, two processes)', () => {
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];
  const apps: LockApp[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const a of apps) await a.app.close();
    redis.disconnect();
  });

  async function holderWithQueuedWaiter(tag: string): Promise<{
    holder: ChildProcess;
    stdout: () => string;
    b: LockApp;
    waiting: ReturnType<LockApp['locks']['acquire']>;
  }> {
    const prefix = `keel:test:live:${tag}:${process.pid}:${Date.now()}:`;
    const holder = spawnWorker(['hold-queued', 'k', String(LEASE)], { KEEL_LOCK_PREFIX: prefix });
    children.push(holder);
    let out = '';
    holder.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await printed(holder, 'HELD');
    const queue = `${prefix}{k}:q`;
    await until("A's second waiter queued", async () => (await redis.llen(queue)) === 1);
    const b = await bootLockApp({ keyPrefix: prefix });
    apps.push(b);
    const waiting = b.locks.acquire('k', { leaseMs: LEASE, waitMs: 6_000 });
    await until('B queued behind it', async () => (await redis.llen(queue)) === 2);
    return { holder, stdout: () => out, b, waiting };
  }

  it('SIGKILL: B gets the key within about one lease', async () => {
    const { holder, waiting } = await holderWithQueuedWaiter('kill');
    holder.kill('SIGKILL');
    const killedAt = Date.now();
    const handle = await waiting;
    expect(Date.now() - killedAt).toBeLessThan(RECOVERED_WITHIN);
    await handle.release();
  });

  it('SIGSTOP for 1.5 s: B gets the key while A is stopped; A then sees its lease lost and its waiter queues again', async () => {
    const { holder, stdout, waiting } = await holderWithQueuedWaiter('stop');
    holder.kill('SIGSTOP');
    const stoppedAt = Date.now();
    const resumed = sleep(1_500).then(() => holder.kill('SIGCONT'));
    const handle = await waiting;
    expect(Date.now() - stoppedAt).toBeLessThan(RECOVERED_WITHIN);
    await resumed;
    await until('A to notice its lost lease', () => /LOST \d+/.test(stdout()));
    const lost = Number(/LOST (\d+)/.exec(stdout())![1]);
    expect(handle.fencingToken).toBeGreaterThan(lost);
    // A's waiter was dropped while stopped; its next poll queues it again behind B
    expect(stdout()).not.toMatch(/GOT/);
    await sleep(LEASE);
    expect(stdout()).not.toMatch(/GOT|GAVE UP/);
    expect(await handle.release()).toBe(true);
    await until("A's waiter to get the key", () => /GOT \d+/.test(stdout()));
    expect(Number(/GOT (\d+)/.exec(stdout())![1])).toBeGreaterThan(handle.fencingToken);
  });
});
