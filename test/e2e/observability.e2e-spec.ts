import { Body, Controller, Get, Injectable, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HealthModule } from '@keel/health';
import { LoggingModule, PinoLogger, useKeelLogger } from '@keel/logging';
import { MetricsModule, Timed } from '@keel/metrics';
import { CapturedLines, LogLine } from '../../libs/logging/test/support/captured-lines';
import { stackEnv } from '../support/stack-env';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CARD = '4111 1111 1111 1111';

@Injectable()
class Payments {
  constructor(private readonly log: PinoLogger) {}

  @Timed('payments_capture_seconds')
  async capture(id: string, body: unknown): Promise<{ id: string; status: string }> {
    this.log.info({ body }, `capturing payment ${id} for card ${CARD}`);
    await new Promise((r) => setTimeout(r, 5));
    return { id, status: 'captured' };
  }
}

@Controller('payments')
class PaymentsController {
  constructor(private readonly payments: Payments) {}

  @Post(':id/capture')
  capture(@Param('id') id: string, @Body() body: unknown): Promise<{ id: string; status: string }> {
    return this.payments.capture(id, body);
  }

  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    return { id };
  }
}

describe('metrics + logging + health in one app (e2e, real Redis and Kafka)', () => {
  let app: INestApplication;
  let url: string;
  const lines = new CapturedLines();
  const registry = new Registry();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        LoggingModule.forRoot({ service: 'payments', destination: lines, level: 'info' }),
        MetricsModule.forRoot({ registry, service: 'payments', defaultMetrics: false }),
        HealthModule.forRoot({
          redis: stackEnv.redisUrl,
          kafka: { brokers: stackEnv.kafkaBrokers },
        }),
      ],
      providers: [Payments],
      controllers: [PaymentsController],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    useKeelLogger(app);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('a request logs with requestId and trace, is metered by route template, and never logs the card', async () => {
    const res = await fetch(`${url}/payments/pay-123/capture`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-e2e-1',
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({
        amount: 1250,
        card: { number: '4111111111111111', cvc: '123' },
        note: `card ${CARD}`,
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req-e2e-1');

    const capturing = await lines.waitFor(
      (l: LogLine) => typeof l.msg === 'string' && l.msg.startsWith('capturing payment pay-123'),
    );
    expect(capturing).toMatchObject({
      requestId: 'req-e2e-1',
      traceId: TRACE_ID,
      service: 'payments',
    });
    expect(capturing.msg).toContain('************1111');
    await lines.waitFor((l) => l.msg === 'request completed');
    const everything = lines.raw.join('\n');
    for (const secret of ['4111111111111111', CARD, '4111-1111-1111-1111', '"123"']) {
      expect(everything).not.toContain(secret);
    }

    await fetch(`${url}/payments/other-456`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const http = metrics
      .split('\n')
      .filter((l) => l.startsWith('http_server_requests_seconds_count'));
    expect(
      http.some((l) => l.includes('route="/payments/:id/capture"') && l.includes('status="201"')),
    ).toBe(true);
    expect(
      http.some((l) => l.includes('route="/payments/:id"') && l.includes('status="200"')),
    ).toBe(true);
    expect(metrics).not.toContain('pay-123');
    expect(metrics).not.toContain('other-456');
    expect(metrics).toMatch(
      /payments_capture_seconds_count\{[^}]*class="Payments"[^}]*method="capture"[^}]*\} 1/,
    );

    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('a request that matches no route is metered as UNMATCHED with logging mounted too', async () => {
    const res = await fetch(`${url}/nowhere/4111111111111111`);
    expect(res.status).toBe(404);
    const text = await registry.metrics();
    const notFound = text
      .split('\n')
      .filter((l) => l.startsWith('http_server_requests_seconds_count') && l.includes('"404"'));
    expect(notFound).toEqual([expect.stringContaining('route="UNMATCHED",status="404"')]);
    expect(text).not.toContain('nowhere');
  });
});
