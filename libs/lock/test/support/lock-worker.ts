// A separate OS process holding a LockService, driven by the multi-process tests:
//   hammer <key> <counterKey> <workers> <cycles> <outFile>   read-increment-write under the lock
//     (KEEL_LOCK_WAIT_MS: how long each attempt waits; one that gives up is counted, not retried)
//   hold <key> <leaseMs>                                     take the lock, say HELD, wait to be killed
//   hold-queued <key> <leaseMs>                              take the lock, say HELD, queue a second
//     waiter on it; say LOST <fence> if the lease is lost, GOT <fence> when the second one gets it
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { stackEnv } from '../../../../test/support/stack-env';
import Redis from 'ioredis';
import { LockModule, LockNotAcquiredError, LockService } from '@keel/lock';

const REDIS_URL = stackEnv.redisUrl;
const PREFIX = process.env.KEEL_LOCK_PREFIX || 'keel:test:worker:';

@Module({ imports: [LockModule.forRoot({ redis: REDIS_URL, keyPrefix: PREFIX })] })
class WorkerModule {}

async function hammer(locks: LockService, args: string[]): Promise<void> {
  const [key, counterKey, workers, cycles, outFile] = args;
  const redis = new Redis(REDIS_URL);
  const waitMs = Number(process.env.KEEL_LOCK_WAIT_MS || 60_000);
  const grants: [number, number][] = []; // [counter value read inside, fencing token]
  let gaveUp = 0;
  const worker = async (): Promise<void> => {
    for (let i = 0; i < Number(cycles); i++) {
      try {
        await locks.using(key, { waitMs, leaseMs: 5_000 }, async (h) => {
          const seen = Number((await redis.get(counterKey)) ?? '0');
          await redis.set(counterKey, String(seen + 1)); // deliberately not atomic
          grants.push([seen, h.fencingToken]);
        });
      } catch (err) {
        if (!(err instanceof LockNotAcquiredError)) throw err;
        gaveUp++;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(workers) }, worker));
  writeFileSync(outFile, JSON.stringify({ grants, gaveUp }));
  redis.disconnect();
}

async function hold(locks: LockService, args: string[]): Promise<never> {
  const [key, leaseMs] = args;
  await locks.acquire(key, { leaseMs: Number(leaseMs), watchdog: true, waitMs: 10_000 });
  process.stdout.write('HELD\n');
  return new Promise<never>(() => setInterval(() => undefined, 1_000));
}

async function holdQueued(locks: LockService, args: string[]): Promise<never> {
  const [key, leaseMs] = args;
  const lease = Number(leaseMs);
  const held = await locks.acquire(key, { leaseMs: lease, watchdog: true, waitMs: 10_000 });
  held.signal.addEventListener('abort', () => process.stdout.write(`LOST ${held.fencingToken}\n`));
  process.stdout.write('HELD\n');
  void locks.acquire(key, { leaseMs: lease, watchdog: true, waitMs: 60_000 }).then(
    (h) => process.stdout.write(`GOT ${h.fencingToken}\n`),
    (err: unknown) => process.stdout.write(`GAVE UP ${(err as Error).message}\n`),
  );
  return new Promise<never>(() => setInterval(() => undefined, 1_000));
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  const locks = app.get(LockService);
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'hammer') await hammer(locks, args);
  else if (mode === 'hold') await hold(locks, args);
  else if (mode === 'hold-queued') await holdQueued(locks, args);
  else throw new Error(`unknown mode ${mode}`);
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
