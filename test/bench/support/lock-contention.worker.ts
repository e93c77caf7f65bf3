// One process of the contended lock benchmark: <impl ours|redlock> <workers> <startAt> <durationMs> <key>
// Each worker loops acquire -> hold ~1 ms -> release until the duration ends; prints JSON stats.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Redlock = require('redlock');
import { DistributedLock, LockModule, LockNotAcquiredError } from '@keel/lock';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const [impl, workersArg, startAtArg, durationArg, key] = process.argv.slice(2);
const holdMs = 1;
// The same wait budget for both: redlock retries 10 times 200 ms apart (its defaults), ours waits
// up to 2 s; a worker that runs out of it counts a failure and tries again.
const WAIT_BUDGET_MS = 2_000;
const REDLOCK_RETRY_DELAY_MS = 200;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface WorkerStats {
  grants: number;
  failures: number;
  maxWaitMs: number;
}

@Injectable()
class Critical {
  @DistributedLock({ key: '{0}', waitMs: WAIT_BUDGET_MS, leaseMs: 5_000 })
  async hold(_key: string): Promise<void> {
    await sleep(holdMs);
  }
}

@Module({
  imports: [LockModule.forRoot({ redis: REDIS_URL, keyPrefix: 'keel:bench:contended:' })],
  providers: [Critical],
})
class BenchModule {}

async function main(): Promise<void> {
  let cycle: () => Promise<boolean>;
  let close: () => Promise<void>;
  if (impl === 'ours') {
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
    const critical = app.get(Critical);
    cycle = () =>
      critical.hold(key).then(
        () => true,
        (err: unknown) => {
          if (err instanceof LockNotAcquiredError) return false;
          throw err;
        },
      );
    close = () => app.close();
  } else {
    const client = new Redis(REDIS_URL);
    const redlock = new Redlock([client as unknown as Redlock.CompatibleRedisClient], {
      retryCount: WAIT_BUDGET_MS / REDLOCK_RETRY_DELAY_MS,
      retryDelay: REDLOCK_RETRY_DELAY_MS,
    });
    cycle = async () => {
      try {
        const lock = await redlock.lock(`keel:bench:redlock:${key}`, 5_000);
        await sleep(holdMs);
        await lock.unlock();
        return true;
      } catch {
        return false;
      }
    };
    close = async () => {
      client.disconnect();
      await Promise.resolve();
    };
  }
  await sleep(Math.max(0, Number(startAtArg) - Date.now()));
  const end = Date.now() + Number(durationArg);
  const worker = async (): Promise<WorkerStats> => {
    const s: WorkerStats = { grants: 0, failures: 0, maxWaitMs: 0 };
    while (Date.now() < end) {
      const t0 = performance.now();
      const ok = await cycle();
      const waited = performance.now() - t0 - (ok ? holdMs : 0);
      if (ok) {
        s.grants++;
        s.maxWaitMs = Math.max(s.maxWaitMs, waited);
      } else s.failures++;
    }
    return s;
  };
  const stats = await Promise.all(Array.from({ length: Number(workersArg) }, worker));
  await close();
  process.stdout.write(JSON.stringify(stats));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
