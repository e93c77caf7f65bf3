// A separate OS process holding a LockService, driven by the multi-process tests:
//   hammer <key> <counterKey> <workers> <cycles> <outFile>   read-increment-write under the lock
//   hold <key> <leaseMs>                                     take the lock, say HELD, wait to be killed
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { stackEnv } from '../../../../test/support/stack-env';
import Redis from 'ioredis';
import { LockModule, LockService } from '@keel/lock';

const REDIS_URL = stackEnv.redisUrl;
const PREFIX = process.env.KEEL_LOCK_PREFIX || 'keel:test:worker:';

@Module({ imports: [LockModule.forRoot({ redis: REDIS_URL, keyPrefix: PREFIX })] })
class WorkerModule {}

async function hammer(locks: LockService, args: string[]): Promise<void> {
  const [key, counterKey, workers, cycles, outFile] = args;
  const redis = new Redis(REDIS_URL);
  const grants: [number, number][] = []; // [counter value read inside, fencing token]
  const worker = async (): Promise<void> => {
    for (let i = 0; i < Number(cycles); i++) {
      await locks.using(key, { waitMs: 60_000, leaseMs: 5_000 }, async (h) => {
        const seen = Number((await redis.get(counterKey)) ?? '0');
        await redis.set(counterKey, String(seen + 1)); // deliberately not atomic
        grants.push([seen, h.fencingToken]);
      });
    }
  };
  await Promise.all(Array.from({ length: Number(workers) }, worker));
  writeFileSync(outFile, JSON.stringify(grants));
  redis.disconnect();
}

async function hold(locks: LockService, args: string[]): Promise<never> {
  const [key, leaseMs] = args;
  await locks.acquire(key, { leaseMs: Number(leaseMs), watchdog: true, waitMs: 10_000 });
  process.stdout.write('HELD\n');
  return new Promise<never>(() => setInterval(() => undefined, 1_000));
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  const locks = app.get(LockService);
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'hammer') await hammer(locks, args);
  else if (mode === 'hold') await hold(locks, args);
  else throw new Error(`unknown mode ${mode}`);
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
