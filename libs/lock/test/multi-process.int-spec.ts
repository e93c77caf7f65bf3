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

  it(`is safe: ${PROCESSES} processes x ${WORKERS} workers, ${PROCESSES * WORKERS * CYCLES} cycles of read-increment-write`, async () => {
    const run = `${process.pid}-${Date.now()}`;
    const prefix = `keel:test:safety:${run}:`;
    const counterKey = `keel:test:safety:${run}:counter`;
    const children = Array.from({ length: PROCESSES }, (_, i) =>
      spawnWorker(
        [
          'hammer',
          'the-one-key',
          counterKey,
          String(WORKERS),
          String(CYCLES),
          join(dir, `${i}.json`),
        ],
        {
          KEEL_LOCK_PREFIX: prefix,
        },
      ),
    );
    await Promise.all(children.map(exited));

    const grants = children.flatMap(
      (_, i) => JSON.parse(readFileSync(join(dir, `${i}.json`), 'utf8')) as [number, number][],
    );
    const total = PROCESSES * WORKERS * CYCLES;
    expect(grants).toHaveLength(total);
    // no lost update: the non-atomic counter saw every grant exactly once
    expect(Number(await redis.get(counterKey))).toBe(total);
    const bySeen = [...grants].sort((a, b) => a[0] - b[0]);
    bySeen.forEach(([seen], i) => expect(seen).toBe(i));
    // fencing tokens in grant order strictly increase
    let violations = 0;
    for (let i = 1; i < bySeen.length; i++) if (bySeen[i][1] <= bySeen[i - 1][1]) violations++;
    expect(violations).toBe(0);
    await redis.del(counterKey);
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
