// npm run bench -- metrics (move to test/bench/metrics.bench.ts)
//  1. per-call cost of @Timed vs the same method timing itself by hand the cheapest way: the
//     same clock as Keel's (performance.now) and observe() on a pre-resolved child, success and
//     failure paths written out (prom-client's startTimer() is slower: it merges labels and
//     reads process.hrtime every call, so it would flatter us). Also the cost over an untimed
//     call of the same method. ns per call, lower is better; async and sync.
//  2. scrape time (registry.metrics()) with 10k series: Keel's registry (the series made by
//     @Timed children through the cardinality cap) vs prom-client alone with the same series.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Histogram, Registry } from 'prom-client';
import { MetricsModule, MetricsService, Timed } from '@keel/metrics';
import { BenchRow, BenchSuite, compare, opsPerSecond, pairedRow } from './harness';

const registry = new Registry();
const SERIES = 10_000;

@Injectable()
class Work {
  @Timed('bench_async_seconds')
  async asyncCall(x: number): Promise<number> {
    const result = await Promise.resolve(x + 1);
    return result;
  }

  @Timed('bench_sync_seconds')
  syncCall(x: number): number {
    return x + 1;
  }
}

@Module({
  imports: [
    MetricsModule.forRoot({
      registry,
      defaultMetrics: false,
      httpMetrics: false,
      maxSeriesPerMetric: SERIES + 10,
    }),
  ],
  providers: [Work],
})
class BenchModule {}

/** The same work, timed by hand as a careful developer would without Keel. */
class ByHand {
  private readonly asyncChild;
  private readonly syncChild;

  constructor(reg: Registry) {
    const labelNames = ['class', 'method', 'outcome', 'exception'];
    const make = (name: string) => {
      const histogram = new Histogram({ name, help: name, labelNames, registers: [reg] });
      return histogram.labels({
        class: 'Work',
        method: 'call',
        outcome: 'SUCCESS',
        exception: 'none',
      });
    };
    this.asyncChild = make('hand_async_seconds');
    this.syncChild = make('hand_sync_seconds');
  }

  async asyncCall(x: number): Promise<number> {
    const start = performance.now();
    const result = await Promise.resolve(x + 1);
    this.asyncChild.observe((performance.now() - start) / 1000);
    return result;
  }

  syncCall(x: number): number {
    const start = performance.now();
    const result = x + 1;
    this.syncChild.observe((performance.now() - start) / 1000);
    return result;
  }
}

/** The same methods with no timing at all: what @Timed adds on top of the call itself. */
class Untimed {
  async asyncCall(x: number): Promise<number> {
    const result = await Promise.resolve(x + 1);
    return result;
  }

  syncCall(x: number): number {
    return x + 1;
  }
}

const nsPerCall = async (fn: () => unknown): Promise<number> =>
  1e9 / (await opsPerSecond(fn, { durationMs: 700, warmupMs: 200 }));

/** 10k series of one histogram (1000 routes x 10 statuses), filled by `observe`. */
function fill(observe: (route: string, status: string) => void): void {
  for (let i = 0; i < SERIES / 10; i++) {
    for (let s = 0; s < 10; s++) observe(`/r${i}/:id`, String(200 + s));
  }
}

async function scrapeMs(reg: Registry): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await reg.metrics();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[3];
}

const suite: BenchSuite = {
  async run(): Promise<BenchRow[]> {
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
    try {
      const work = app.get(Work);
      const hand = new ByHand(new Registry());
      let n = 0;
      const asyncRun = await compare(
        () => nsPerCall(() => work.asyncCall(n++)),
        () => nsPerCall(() => hand.asyncCall(n++)),
      );
      const syncRun = await compare(
        () => nsPerCall(() => work.syncCall(n++)),
        () => nsPerCall(() => hand.syncCall(n++)),
      );
      const bare = new Untimed();
      const asyncBare = await compare(
        () => nsPerCall(() => work.asyncCall(n++)),
        () => nsPerCall(() => bare.asyncCall(n++)),
      );
      const syncBare = await compare(
        () => nsPerCall(() => work.syncCall(n++)),
        () => nsPerCall(() => bare.syncCall(n++)),
      );

      // Scrape: Keel's registry gets 10k series through its capped children ...
      const service = app.get(MetricsService);
      const keelSeries = service.seriesOf<ReturnType<Histogram<string>['labels']>>('bench_http');
      const keelHist = new Histogram({
        name: 'bench_http',
        help: 'bench',
        labelNames: ['route', 'status'],
        registers: [registry],
      });
      fill((route, status) =>
        keelSeries
          .get(`${route} ${status}`, () => keelHist.labels({ route, status }))
          ?.observe(0.01),
      );
      // ... prom-client alone gets the same 10k series directly.
      const plain = new Registry();
      const plainHist = new Histogram({
        name: 'bench_http',
        help: 'bench',
        labelNames: ['route', 'status'],
        registers: [plain],
      });
      fill((route, status) => plainHist.observe({ route, status }, 0.01));
      const scrape = await compare(
        () => scrapeMs(registry),
        () => scrapeMs(plain),
        3,
      );

      return [
        pairedRow('@Timed async call vs observe() by hand', asyncRun, 'ns/call', '<= 1.1'),
        pairedRow('@Timed sync call vs observe() by hand', syncRun, 'ns/call', '<= 1.1'),
        pairedRow('@Timed async call vs untimed call', asyncBare, 'ns/call', 'reported'),
        pairedRow('@Timed sync call vs untimed call', syncBare, 'ns/call', 'reported'),
        pairedRow('scrape 10k series vs prom-client alone', scrape, 'ms', 'reported'),
      ];
    } finally {
      await app.close();
    }
  },
};

export default suite;
