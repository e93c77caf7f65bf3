import { Controller, Get, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KeelConfigError } from '@keel/core';
import { Registry } from 'prom-client';
import request from 'supertest';
import { freePort } from '../../../test/support/free-port';
import { Counted, MetricsModule, MetricsService, Timed } from '@keel/metrics';
import { bootMetricsApp, samples } from './support/metrics-app';

@Controller('echo')
class EchoController {
  @Get(':value')
  echo(): string {
    return 'ok';
  }
}

@Injectable()
class Tenants {
  @Counted('tenant_calls_total', { labels: { tier: 'gold' } })
  call(): void {}
}

describe('MetricsModule (e2e)', () => {
  it('serves /metrics on its own port, and not on the app port', async () => {
    const port = await freePort();
    const ctx = await bootMetricsApp(
      { port, host: '127.0.0.1', path: '/prometheus', service: 'payments', instance: 'i-1' },
      { controllers: [EchoController] },
    );
    try {
      await request(ctx.url).get('/echo/1').expect(200);
      await request(ctx.url).get('/prometheus').expect(404);
      await request(ctx.url).get('/metrics').expect(404);
      const res = await request(`http://127.0.0.1:${port}`).get('/prometheus').expect(200);
      expect(res.text).toContain(
        'http_server_requests_seconds_count{service="payments",instance="i-1",method="GET",route="/echo/:value",status="200",outcome="SUCCESS",exception="none"} 1',
      );
      await request(`http://127.0.0.1:${port}`).get('/other').expect(404);
    } finally {
      await ctx.app.close();
    }
    // closed with the app
    await expect(request(`http://127.0.0.1:${port}`).get('/prometheus')).rejects.toThrow();
  });

  it('fails the boot naming the port when it is taken', async () => {
    const taken = await bootMetricsApp({});
    const port = Number(new URL(taken.url).port);
    try {
      await expect(bootMetricsApp({ port, host: '127.0.0.1' })).rejects.toThrow(/`port` \d+/);
    } finally {
      await taken.app.close();
    }
  });

  it('caps label sets per metric with one warning naming the metric', async () => {
    const ctx = await bootMetricsApp(
      { maxSeriesPerMetric: 3, prefix: 'capped' },
      { controllers: [EchoController] },
    );
    try {
      // 200 /echo/:value, 404 UNMATCHED, then full: /metrics and further 404 paths are dropped
      await request(ctx.url).get('/echo/1').expect(200);
      await request(ctx.url).get('/a').expect(404);
      await request(ctx.url).post('/b').expect(404);
      await request(ctx.url).delete('/c').expect(404);
      await request(ctx.url).put('/d').expect(404);
      await request(ctx.url).get('/echo/2').expect(200);
      const text = (await request(ctx.url).get('/metrics').expect(200)).text;
      const lines = samples(text, 'capped_http_server_requests_seconds_count');
      expect(lines).toHaveLength(3);
      expect(lines).toContainEqual(expect.stringContaining('route="/echo/:value",status="200"'));
      expect(lines.find((l) => l.includes('route="/echo/:value"'))).toMatch(/ 2$/);
      const capWarnings = ctx.warnings.filter((w) => w.includes('cap of 3'));
      expect(capWarnings).toHaveLength(1);
      expect(capWarnings[0]).toContain('"capped_http_server_requests_seconds"');
    } finally {
      await ctx.app.close();
    }
  });

  it('takes options from forRootAsync and turns HTTP and default metrics off', async () => {
    const registry = new Registry();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MetricsModule.forRootAsync({
          useFactory: () => ({ registry, httpMetrics: false, defaultMetrics: false, path: '/m' }),
        }),
      ],
      providers: [Tenants],
      controllers: [EchoController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      app.get(Tenants).call();
      await request(await app.getUrl())
        .get('/echo/1')
        .expect(200);
      const text = (
        await request(await app.getUrl())
          .get('/m')
          .expect(200)
      ).text;
      expect(text).not.toContain('http_server_requests_seconds');
      expect(text).not.toContain('process_cpu');
      expect(text).toContain(
        'tenant_calls_total{tier="gold",class="Tenants",method="call",outcome="SUCCESS",exception="none"} 1',
      );
      expect(app.get(MetricsService).registry).toBe(registry);
    } finally {
      await app.close();
    }
  });

  it('puts default metrics in the registry when on, twice without "already registered"', async () => {
    const registry = new Registry();
    const one = await bootMetricsApp({ registry, defaultMetrics: true });
    const two = await bootMetricsApp({ registry, defaultMetrics: true });
    try {
      const text = (await request(two.url).get('/metrics').expect(200)).text;
      expect(text).toContain('process_cpu_user_seconds_total');
    } finally {
      await one.app.close();
      await two.app.close();
    }
  });

  it('fails the boot with KeelConfigError naming a bad option or decorator', async () => {
    await expect(bootMetricsApp({ buckets: [] })).rejects.toThrow(KeelConfigError);
    await expect(bootMetricsApp({ maxSeriesPerMetric: 0 })).rejects.toThrow(/maxSeriesPerMetric/);

    @Injectable()
    class BadName {
      @Timed('bad-name')
      run(): void {}
    }
    await expect(bootMetricsApp({}, { providers: [BadName] })).rejects.toThrow(
      /@Timed on BadName\.run\(\).*"bad-name"/,
    );
  });
});
