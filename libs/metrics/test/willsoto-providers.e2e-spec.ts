import { Controller, Post } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { Registry } from 'prom-client';
import { bootMetricsApp, samples } from './support/metrics-app';

// @willsoto/nestjs-prometheus' documented providers, beside MetricsModule: its metrics are served
// on MetricsModule's /metrics when they are in the module's registry.
const registry = new Registry();

@Controller('refunds')
class RefundsController {
  constructor(@InjectMetric('refunds_requested_total') private readonly refunds: Counter) {}

  @Post()
  request(): void {
    this.refunds.inc();
  }
}

describe("@willsoto/nestjs-prometheus' makeCounterProvider and @InjectMetric with MetricsModule (e2e)", () => {
  it('serves a metric made with its provider on /metrics', async () => {
    const { app, url } = await bootMetricsApp(
      { registry, httpMetrics: false },
      {
        controllers: [RefundsController],
        providers: [
          makeCounterProvider({
            name: 'refunds_requested_total',
            help: 'Refunds requested.',
            registers: [registry],
          }),
        ],
      },
    );
    try {
      await fetch(`${url}/refunds`, { method: 'POST' });
      await fetch(`${url}/refunds`, { method: 'POST' });
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(samples(text, 'refunds_requested_total')).toEqual(['refunds_requested_total 2']);
    } finally {
      await app.close();
    }
  });
});
