// npm run bench -- lock
//  1. uncontended cycle through @DistributedLock (fencing + watchdog on) vs raw ioredis
//     SET NX PX + compare-and-delete EVAL, and vs redlock (npm latest), measured in interleaved
//     blocks of 200 cycles (9 rounds of 20 pairs); higher ops/s is better.
//  2. contended: 8 workers in 3 processes on one key, hold ~1 ms, vs redlock, both with a 2 s
//     wait budget (redlock: 10 retries 200 ms apart).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { stackEnv } from '../support/stack-env';
import Redis from 'ioredis';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Redlock = require('redlock');
import { DistributedLock, LockModule } from '@keel/lock';
import { spawnTs } from '../support/spawn-ts';
import { BenchRow, BenchSuite, interleaved, pairedRow, row } from './harness';

const REDIS_URL = stackEnv.redisUrl;
const CAD =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

@Injectable()
class Payments {
  @DistributedLock({ key: 'payment:{0}', leaseMs: 30_000, watchdog: true })
  async capture(_id: string): Promise<void> {}
}

@Module({
  imports: [LockModule.forRoot({ redis: REDIS_URL, keyPrefix: 'keel:bench:' })],
  providers: [Payments],
})
class BenchModule {}

async function uncontended(): Promise<BenchRow[]> {
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
  const payments = app.get(Payments);
  const raw = new Redis(REDIS_URL);
  const rl = new Redis(REDIS_URL);
  const redlock = new Redlock([rl as unknown as Redlock.CompatibleRedisClient], { retryCount: 0 });
  try {
    const rawCycle = async (): Promise<void> => {
      const token = randomBytes(16).toString('hex');
      if ((await raw.set('keel:bench:raw', token, 'PX', 30_000, 'NX')) !== 'OK')
        throw new Error('busy');
      await raw.eval(CAD, 1, 'keel:bench:raw', token);
    };
    const redlockCycle = async (): Promise<void> => {
      const lock = await redlock.lock('keel:bench:redlock', 30_000);
      await lock.unlock();
    };
    const ours = (): Promise<void> => payments.capture('p-1');
    const vsRaw = await interleaved(ours, rawCycle);
    const vsRedlock = await interleaved(ours, redlockCycle);
    return [
      pairedRow(
        'uncontended @DistributedLock vs raw SET NX PX + EVAL',
        vsRaw,
        'cycles/s',
        '>= 0.95',
      ),
      pairedRow('uncontended @DistributedLock vs redlock 4.2.0', vsRedlock, 'cycles/s', '> 1'),
    ];
  } finally {
    await app.close();
    raw.disconnect();
    rl.disconnect();
  }
}

interface WorkerStats {
  grants: number;
  failures: number;
  maxWaitMs: number;
}

function runProcess(
  impl: string,
  workers: number,
  startAt: number,
  durationMs: number,
  key: string,
): Promise<WorkerStats[]> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(
      join(__dirname, 'support', 'lock-contention.worker.ts'),
      [impl, String(workers), String(startAt), String(durationMs), key],
      {},
      ['ignore', 'pipe', 'inherit'],
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as WorkerStats[])
        : reject(new Error(`${impl} worker exited ${code}`)),
    );
  });
}

async function contended(
  impl: string,
  durationMs: number,
): Promise<{ throughput: number; maxWait: number; skew: number; failures: number }> {
  const key = `k-${Date.now()}`;
  const startAt = Date.now() + 6_000; // after every process has booted
  const perProcess = [3, 3, 2];
  const stats = (
    await Promise.all(perProcess.map((w) => runProcess(impl, w, startAt, durationMs, key)))
  ).flat();
  const grants = stats.map((s) => s.grants);
  return {
    throughput: grants.reduce((a, b) => a + b, 0) / (durationMs / 1000),
    maxWait: Math.max(...stats.map((s) => s.maxWaitMs)),
    skew: Math.max(...grants) / Math.max(1, Math.min(...grants)),
    failures: stats.reduce((a, s) => a + s.failures, 0),
  };
}

const suite: BenchSuite = {
  async run() {
    // KEEL_BENCH_PART=contended|uncontended runs one half (for quick looks); the default runs both
    const part = process.env.KEEL_BENCH_PART;
    const rows = part === 'contended' ? [] : await uncontended();
    if (part === 'uncontended') return rows;
    const duration = Number(process.env.KEEL_BENCH_CONTENDED_MS || 10_000);
    const ours = await contended('ours', duration);
    const theirs = await contended('redlock', duration);
    rows.push(
      row(
        'contended 8 workers/3 processes: throughput vs redlock',
        ours.throughput,
        theirs.throughput,
        'grants/s',
        '> 1',
      ),
      row(
        'contended: max wait vs redlock (lower is better)',
        ours.maxWait,
        theirs.maxWait,
        'ms',
        'ours <= 50 ms',
      ),
      row(
        'contended: per-worker share skew max/min vs redlock',
        ours.skew,
        theirs.skew,
        'x',
        'ours <= 1.5',
      ),
      row(
        'contended: gave up (wait budget 2 s spent)',
        ours.failures,
        theirs.failures,
        'attempts',
        'ours 0',
      ),
    );
    return rows;
  },
};

export default suite;
