import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { DistributedLock, LockModule } from '@keel/lock';
import { MetricsModule, Timed } from '@keel/metrics';
import { stackEnv } from '../support/stack-env';

const HOLD_MS = 150;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

@Injectable()
class Settlements {
  // @Timed outside the lock: times the whole locked call, waiting included
  @Timed('outer_seconds')
  @DistributedLock({ key: 'outer:{0}' })
  async outer(_id: string): Promise<void> {
    await sleep(HOLD_MS);
  }

  // @Timed inside the lock: times only the work done while holding it
  @DistributedLock({ key: 'inner:{0}' })
  @Timed('inner_seconds')
  async inner(_id: string): Promise<void> {
    await sleep(HOLD_MS);
  }
}

async function histogramSum(
  registry: Registry,
  name: string,
): Promise<{ sum: number; count: number }> {
  const data = await registry.getSingleMetric(name)!.get();
  // histogram values carry the series name (_bucket, _sum, _count) beside the labels
  const values = data.values as { metricName?: string; value: number }[];
  const sum = values.find((v) => v.metricName === `${name}_sum`)?.value ?? 0;
  const count = values.find((v) => v.metricName === `${name}_count`)?.value ?? 0;
  return { sum, count };
}

describe('@Timed composed with @DistributedLock (e2e, real Redis)', () => {
  it('times the lock wait when outside it and only the work when inside it', async () => {
    const registry = new Registry();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MetricsModule.forRoot({ registry, defaultMetrics: false, httpMetrics: false }),
        LockModule.forRoot({
          redis: stackEnv.redisUrl,
          keyPrefix: `keel:test:timed:${process.pid}:`,
          registry,
        }),
      ],
      providers: [Settlements],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const s = app.get(Settlements);
      await Promise.all([s.outer('a'), s.outer('a'), s.outer('a')]);
      await Promise.all([s.inner('a'), s.inner('a'), s.inner('a')]);
      const outer = await histogramSum(registry, 'outer_seconds');
      const inner = await histogramSum(registry, 'inner_seconds');
      expect(outer.count).toBe(3);
      expect(inner.count).toBe(3);
      // serialised: waits of 0, 1 and 2 holds add up to 1+2+3 = 6 holds outside, 3 holds inside
      expect(outer.sum).toBeGreaterThanOrEqual((6 * HOLD_MS) / 1000);
      expect(inner.sum).toBeLessThan((4.5 * HOLD_MS) / 1000);
      // the lock's own metrics land in the same registry
      const acquired = await registry.getSingleMetric('keel_lock_acquire_total')!.get();
      expect(
        acquired.values.find(
          (v) => v.labels.name === 'Settlements.outer' && v.labels.result === 'acquired',
        )?.value,
      ).toBe(3);
    } finally {
      await app.close();
    }
  });
});
