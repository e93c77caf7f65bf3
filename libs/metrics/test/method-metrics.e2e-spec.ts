import { Controller, Get, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { createKeelDecorator, KeelCoreModule } from '@keel/core';
import { HandlerDiscoveryService, KeelMethodRegistry, type AnyFn } from '@keel/core/internal';
import request from 'supertest';
import { Counted, Timed } from '@keel/metrics';
import { bootMetricsApp, samples, type MetricsApp } from './support/metrics-app';

// A stand-in for another Keel decorator (a lock, say): holds the call for 30 ms.
const SLOW = 'test:slow';
const Slow = (): MethodDecorator => createKeelDecorator(SLOW, {});

@Injectable()
class SlowExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly registry: KeelMethodRegistry,
  ) {}

  onModuleInit(): void {
    for (const handler of this.discovery.findMethods(SLOW)) {
      this.registry.addLayer(handler, (next: AnyFn) => async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, 30));
        return next(...args);
      });
    }
  }
}

@Module({ imports: [KeelCoreModule], providers: [SlowExplorer] })
class SlowModule {}

class CardDeclinedError extends Error {}

@Injectable()
class Payments {
  @Timed({ labels: { kind: 'card' } })
  @Slow()
  async capture(amount: number): Promise<number> {
    await Promise.resolve();
    if (amount < 0) throw new CardDeclinedError('negative');
    return amount;
  }

  @Slow()
  @Timed('payment_inner_seconds')
  async inner(): Promise<string> {
    return Promise.resolve('ok');
  }

  @Counted({ failuresOnly: true })
  @Timed()
  refund(amount: number): number {
    if (amount === 0) throw new RangeError('zero');
    return amount;
  }
}

@Controller('capture')
class CaptureController {
  constructor(private readonly payments: Payments) {}

  @Get()
  @Timed()
  @Slow()
  async run(): Promise<{ amount: number }> {
    return { amount: await this.payments.capture(5) };
  }
}

describe('@Timed and @Counted (e2e)', () => {
  let ctx: MetricsApp;
  let payments: Payments;

  beforeAll(async () => {
    ctx = await bootMetricsApp(
      {},
      { imports: [SlowModule], providers: [Payments], controllers: [CaptureController] },
    );
    payments = ctx.app.get(Payments);
  });
  afterAll(() => ctx.app.close());

  const scrape = async (): Promise<string> =>
    (await request(ctx.url).get('/metrics').expect(200)).text;

  it('shows a method histogram with class, method, outcome, exception and static labels', async () => {
    await payments.capture(10);
    await expect(payments.capture(-1)).rejects.toBeInstanceOf(CardDeclinedError);
    const text = await scrape();
    expect(text).toContain('# TYPE method_timed_seconds histogram');
    expect(samples(text, 'method_timed_seconds_count')).toEqual(
      expect.arrayContaining([
        'method_timed_seconds_count{kind="card",class="Payments",method="capture",outcome="SUCCESS",exception="none"} 1',
        'method_timed_seconds_count{kind="card",class="Payments",method="capture",outcome="ERROR",exception="CardDeclinedError"} 1',
      ]),
    );
  });

  it('composes with another Keel decorator in decorator order', async () => {
    await payments.inner();
    const text = await scrape();
    // @Timed outside @Slow: the 30 ms are inside the time; inside it: they are not.
    const outer = sum(text, 'method_timed_seconds_sum', 'method="capture",outcome="SUCCESS"');
    const inner = sum(text, 'payment_inner_seconds_sum', 'method="inner"');
    expect(outer).toBeGreaterThanOrEqual(0.025);
    expect(inner).toBeLessThan(0.025);
  });

  it('keeps a sync method sync and counts only failures with failuresOnly', () => {
    expect(payments.refund(3)).toBe(3);
    expect(() => payments.refund(0)).toThrow(RangeError);
    return scrape().then((text) => {
      expect(samples(text, 'method_counted_total')).toEqual([
        'method_counted_total{class="Payments",method="refund",outcome="ERROR",exception="RangeError"} 1',
      ]);
      expect(samples(text, 'method_timed_seconds_count')).toContainEqual(
        'method_timed_seconds_count{class="Payments",method="refund",outcome="SUCCESS",exception="none"} 1',
      );
    });
  });

  it('routes and times a controller method with @Get() under @Timed and another decorator', async () => {
    await request(ctx.url).get('/capture').expect(200, { amount: 5 });
    const text = await scrape();
    expect(samples(text, 'method_timed_seconds_count')).toContainEqual(
      'method_timed_seconds_count{class="CaptureController",method="run",outcome="SUCCESS",exception="none"} 1',
    );
    expect(sum(text, 'method_timed_seconds_sum', 'method="run"')).toBeGreaterThanOrEqual(0.05);
  });
});

function sum(text: string, name: string, match: string): number {
  const line = samples(text, name).find((l) => l.includes(match));
  if (!line) throw new Error(`no ${name} sample with ${match} in:\n${text}`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}
