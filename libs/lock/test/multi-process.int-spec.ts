import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { bootLockApp, REDIS_URL } from './support/lock-app';
import { exited, printed, spawnWorker } from './support/spawn-worker';

const PROCESSES = 3;
const WORKERS = 4;
const CYCLES = 1_700; // 3 x 4 x 1700 = 20 400 grants

describe('@keel/lock across processes on real Redis (integration)', () => {
  const redis = new Redis(REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), 'keel-lock-'));
  afterAll(() => {
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `hammer` in PROCESSES processes on one key; returns every grant and the give-ups. */
  async function hammer(
    name: string,
    cycles: number,
    env: Record<string, string> = {},
  ): Promise<{ grants: [number, number][]; gaveUp: number; counter: number }> {
    const run = `${name}:${process.pid}-${Date.now()}`;
    const counterKey = `keel:test:${run}:counter`;
    const children = Array.from({ length: PROCESSES }, (_, i) =>
      spawnWorker(
        [
          'hammer',
          'the-one-key',
          counterKey,
          String(WORKERS),
          String(cycles),
          join(dir, `${run}.${i}.json`),
        ],
        { KEEL_LOCK_PREFIX: `keel:test:${run}:`, ...env },
      ),
    );
    await Promise.all(children.map(exited));
    const outs = children.map(
      (_, i) =>
        JSON.parse(readFileSync(join(dir, `${run}.${i}.json`), 'utf8')) as {
          grants: [number, number][];
          gaveUp: number;
        },
    );
    const counter = Number(await redis.get(counterKey));
    await redis.del(counterKey);
    return {
      grants: outs.flatMap((o) => o.grants),
      gaveUp: outs.reduce((n, o) => n + o.gaveUp, 0),
      counter,
    };
  }

  /** No lost update and fencing tokens strictly increasing in grant order. */
  function expectSafe(grants: [number, number][], counter: number): void {
    // the non-atomic counter saw every grant exactly once
    expect(counter).toBe(grants.length);
    const bySeen = [...grants].sort((a, b) => a[0] - b[0]);
    bySeen.forEach(([seen], i) => expect(seen).toBe(i));
    let violations = 0;
    for (let i = 1; i < bySeen.length; i++) if (bySeen[i][1] <= bySeen[i - 1][1]) violations++;
    expect(violations).toBe(0);
  }

  it(`is safe: ${PROCESSES} processes x ${WORKERS} workers, ${PROCESSES * WORKERS * CYCLES} cycles of read-increment-write`, async () => {
    const { grants, gaveUp, counter } = await hammer('safety', CYCLES);
    expect(gaveUp).toBe(0);
    expect(grants).toHaveLength(PROCESSES * WORKERS * CYCLES);
    expectSafe(grants, counter);
  });

  it('stays safe while most waiters give up (waitMs 3 ms) and leave the queue', async () => {
    const { grants, gaveUp, counter } = await hammer('giveup', 500, { KEEL_LOCK_WAIT_MS: '3' });
    // the give-up path really ran, and so did grants
    expect(gaveUp).toBeGreaterThan(100);
    expect(grants.length).toBeGreaterThan(100);
    expect(grants.length + gaveUp).toBe(PROCESSES * WORKERS * 500);
    expectSafe(grants, counter);
  });

  it('recovers from a holder killed with SIGKILL within lease + 1 s', async () => {
    const prefix = `keel:test:crash:${process.pid}:${Date.now()}:`;
    const leaseMs = 1_500;
    const holder = spawnWorker(['hold', 'crash-key', String(leaseMs)], {
      KEEL_LOCK_PREFIX: prefix,
    });
    await printed(holder, 'HELD');
    const ctx = await bootLockApp({ keyPrefix: prefix });
    try {
      expect(await ctx.locks.tryAcquire('crash-key')).toBeNull();
      holder.kill('SIGKILL');
      const killedAt = Date.now();
      const handle = await ctx.locks.acquire('crash-key', { waitMs: leaseMs + 3_000 });
      const recoveredIn = Date.now() - killedAt;
      expect(recoveredIn).toBeLessThanOrEqual(leaseMs + 1_000);
      await handle.release();
    } finally {
      holder.kill('SIGKILL');
      await ctx.app.close();
    }
  });
});
