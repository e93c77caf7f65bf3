import 'reflect-metadata';
import { Body, Controller, Get, Injectable, Logger, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { assignContext, getContext, runWithContext } from '@keel/core';
import {
  InjectPinoLogger,
  LoggingModule,
  PinoLogger,
  outgoingTraceHeaders,
  useKeelLogger,
} from '@keel/logging';
import { CapturedLines } from './support/captured-lines';

const VISA = '4111111111111111';
const VISA_SPACED = '4111 1111 1111 1111';
const MASTERCARD_DASHED = '5555-5555-5555-4444';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

@Injectable()
class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  capture(id: string): Record<string, unknown> {
    this.logger.log(`capturing ${id}`);
    return { ...getContext(), outgoing: outgoingTraceHeaders() };
  }

  register(note: string): void {
    this.logger.log(`customer note: ${note}`);
  }
}

@Controller('payments')
class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    @InjectPinoLogger(PaymentsController.name) private readonly logger: PinoLogger,
  ) {}

  @Get(':id')
  capture(@Param('id') id: string): Record<string, unknown> {
    this.logger.info({ paymentId: id }, 'capture requested');
    return this.payments.capture(id);
  }

  @Post()
  create(@Body() body: { card: { number: string; cvc: string }; note: string }): { ok: true } {
    this.logger.info({ body }, 'payment received');
    this.logger.info('note was %s', body.note);
    this.payments.register(body.note);
    return { ok: true };
  }

  @Get(':id/steps')
  steps(@Param('id') id: string): { ok: true } {
    this.logger.info('before assign');
    assignContext({ paymentId: id });
    this.logger.info('after assign');
    return { ok: true };
  }

  @Get(':id/assigned')
  assigned(@Param('id') id: string): { ok: true } {
    this.logger.assign({ paymentId: id });
    this.logger.info('after logger.assign');
    return { ok: true };
  }
}

describe('LoggingModule in a real HTTP app (e2e)', () => {
  const captured = new CapturedLines();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    @Module({
      imports: [
        LoggingModule.forRoot({ destination: captured, service: 'payments-test', level: 'info' }),
      ],
      controllers: [PaymentsController],
      providers: [PaymentsService],
    })
    class AppModule {}
    app = await NestFactory.create(AppModule, { bufferLogs: true });
    useKeelLogger(app);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => captured.clear());

  it('carries the incoming request id and trace id, with a new span, on controller and service lines', async () => {
    const res = await fetch(`${base}/payments/p-1`, {
      headers: { 'x-request-id': 'req-abc-123', traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    const echoed = res.headers.get('traceparent') ?? '';
    expect(echoed).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));

    const controller = captured.withMsg('capture requested')[0];
    const service = captured.withMsg('capturing p-1')[0];
    for (const line of [controller, service]) {
      expect(line).toMatchObject({
        requestId: 'req-abc-123',
        traceId: TRACE_ID,
        parentSpanId: PARENT_SPAN,
        service: 'payments-test',
      });
      expect(line.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(line.spanId).not.toBe(PARENT_SPAN);
      expect(line.spanId).toBe(echoed.split('-')[2]);
    }
    expect(controller.context).toBe('PaymentsController');
    expect(service.context).toBe('PaymentsService');
    expect(controller.paymentId).toBe('p-1');

    // any code in the request sees the same ids through core's context
    const body = (await res.json()) as Record<string, unknown> & {
      outgoing: { 'x-request-id': string; traceparent: string };
    };
    expect(body).toMatchObject({ requestId: 'req-abc-123', traceId: TRACE_ID });
    expect(body.outgoing['x-request-id']).toBe('req-abc-123');
    const [, traceId, parentForCallee] = body.outgoing.traceparent.split('-');
    expect(traceId).toBe(TRACE_ID);
    // the callee will log our span as its parent
    expect(parentForCallee).toBe(controller.spanId);

    const done = await captured.waitFor((l) => l.msg === 'request completed');
    expect(done).toMatchObject({
      requestId: 'req-abc-123',
      traceId: TRACE_ID,
      res: { statusCode: 200 },
      req: { id: 'req-abc-123', method: 'GET', url: '/payments/p-1' },
    });
  });

  it('generates and echoes ids when the caller sends none, or sends bad ones', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-request-id': 'has spaces and "quotes"', traceparent: '00-zzzz-bad-01' },
      { 'x-request-id': 'x'.repeat(200), traceparent: `00-${'0'.repeat(32)}-${PARENT_SPAN}-01` },
    ]) {
      captured.clear();
      const res = await fetch(`${base}/payments/p-2`, { headers });
      const requestId = res.headers.get('x-request-id') ?? '';
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const [, traceId, spanId] = (res.headers.get('traceparent') ?? '').split('-');
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('0'.repeat(32));
      const line = captured.withMsg('capturing p-2')[0];
      expect(line).toMatchObject({ requestId, traceId, spanId });
      expect(line.parentSpanId).toBeUndefined();
    }
  });

  it('never logs a card number from a POST body, in a field or in free text', async () => {
    const res = await fetch(`${base}/payments?ref=${VISA}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer s3cr3t-token' },
      body: JSON.stringify({
        card: { number: VISA, cvc: '737' },
        note: `paid with ${VISA_SPACED}, backup ${MASTERCARD_DASHED}`,
      }),
    });
    expect(res.status).toBe(201);
    await captured.waitFor((l) => l.msg === 'request completed');

    const all = captured.raw.join('');
    for (const secret of ['4111111111111111', VISA_SPACED, MASTERCARD_DASHED, '737', 's3cr3t']) {
      expect(all).not.toContain(secret);
    }
    expect(captured.withMsg('payment received')[0].body).toEqual({
      card: { number: '[Redacted]', cvc: '[Redacted]' },
      note: 'paid with ************1111, backup ************4444',
    });
    expect(
      captured.withMsg('note was paid with ************1111, backup ************4444'),
    ).toHaveLength(1);
    expect(
      captured.withMsg('customer note: paid with ************1111, backup ************4444'),
    ).toHaveLength(1);
    const done = captured.lines.find((l) => l.msg === 'request completed') as unknown as {
      req: { url: string; headers: Record<string, string> };
    };
    expect(done.req.url).toBe('/payments?ref=************1111');
    expect(done.req.headers.authorization).toBe('[Redacted]');
  });

  it('adds assignContext fields to the later lines of the request only', async () => {
    await fetch(`${base}/payments/p-9/steps`);
    expect(captured.withMsg('before assign')[0].paymentId).toBeUndefined();
    expect(captured.withMsg('after assign')[0].paymentId).toBe('p-9');
  });

  it('adds PinoLogger.assign fields to the later lines and the access line of the request', async () => {
    await fetch(`${base}/payments/p-11/assigned`);
    expect(captured.withMsg('after logger.assign')[0].paymentId).toBe('p-11');
    const done = await captured.waitFor(
      (l) => l.msg === 'request completed' && l.paymentId === 'p-11',
    );
    expect(done.paymentId).toBe('p-11');
  });

  it('refuses PinoLogger.assign outside any request or message, naming the way out', async () => {
    const logger = await app.resolve(PinoLogger);
    expect(() => logger.assign({ paymentId: 'p-0' })).toThrow(
      /outside a request.*runWithLogContext/,
    );
    await runWithContext({}, async () => {
      await new Promise((r) => setImmediate(r));
      logger.assign({ batch: 3, cardNumber: VISA, note: `card ${VISA_SPACED}` });
      logger.info('assigned in a job');
    });
    const line = captured.withMsg('assigned in a job')[0];
    expect(line.batch).toBe(3);
    expect(JSON.stringify(line)).not.toMatch(/4111\D?1111\D?1111\D?1111/);
  });

  it('carries runWithContext fields outside HTTP (a job, a Kafka handler)', async () => {
    const logger = new Logger('SettlementJob');
    await runWithContext({ fields: { paymentId: 'p-42' } }, async () => {
      await new Promise((r) => setImmediate(r));
      logger.log('settling');
      assignContext({ batch: 7 });
      logger.log('settled');
    });
    logger.log('idle');
    expect(captured.withMsg('settling')[0]).toMatchObject({ paymentId: 'p-42' });
    expect(captured.withMsg('settled')[0]).toMatchObject({ paymentId: 'p-42', batch: 7 });
    expect(captured.withMsg('idle')[0].paymentId).toBeUndefined();
    expect(assignContext({ outside: true })).toBe(false);
  });
});
