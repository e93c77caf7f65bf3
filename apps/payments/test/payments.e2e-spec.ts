import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { newSpanId, newTraceId } from '@keel/core';
import { MessagingStatus } from '@keel/messaging';
import { createPool, type Pool } from 'mysql2/promise';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { stackEnv, uniqueName } from '../../../test/support/stack-env';
import { realStack } from './support/real-stack';

interface LedgerRow {
  event_id: string;
  amount_minor: number;
  trace_id: string | null;
}

// The sample app end to end on the real stack: HTTP -> lock + fencing -> MariaDB and the outbox
// in one transaction -> relay -> Kafka -> idempotent ledger listener -> MariaDB; metrics and
// the trace id follow along.
describe('payments capture end to end (e2e, real Redis, Kafka, MariaDB)', () => {
  let app: INestApplication;
  let http: Server;
  let db: Pool;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(realStack)],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await app.get(MessagingStatus).whenRunning(30_000);
    http = app.getHttpServer() as Server;
    db = createPool({ uri: stackEnv.mariadbUrl, connectionLimit: 2 });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  async function ledgerOf(paymentId: string, atLeast: number): Promise<LedgerRow[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [rows] = await db.query(
        'SELECT event_id, amount_minor, trace_id FROM ledger_entries WHERE payment_id = ?',
        [paymentId],
      );
      const found = rows as LedgerRow[];
      if (found.length >= atLeast || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('captures once when two requests race, and books it once in the ledger in the same trace', async () => {
    const id = uniqueName('pay');
    await request(http)
      .post('/payments')
      .send({ id, amountMinor: 1250, currency: 'EUR' })
      .expect(201, {
        id,
        amountMinor: 1250,
        currency: 'EUR',
        status: 'authorized',
        capturedMinor: null,
      });

    const traceId = newTraceId();
    const capture = () =>
      request(http)
        .post(`/payments/${id}/capture`)
        .set('traceparent', `00-${traceId}-${newSpanId()}-01`)
        .send({ amountMinor: 1000 });
    const answers = await Promise.all([capture(), capture()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect((loser.body as { message: string }).message).toContain('is captured');

    const got = await request(http).get(`/payments/${id}`).expect(200);
    expect(got.body).toMatchObject({ status: 'captured', capturedMinor: 1000 });

    const ledger = await ledgerOf(id, 1);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ amount_minor: 1000, trace_id: traceId });
    // nothing more arrives later (a redelivery would be deduped anyway)
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await ledgerOf(id, 2)).toHaveLength(1);

    const metrics = (await request(http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /keel_lock_acquire_total\{name="PaymentsService\.capture",result="acquired"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/keel_kafka_consumed_total\{[^}]*topic="payments\.captured"/);
    expect(metrics).toMatch(/keel_outbox_pending\{[^}]*\} \d/);
    expect(metrics).toMatch(/payments_capture_seconds_count\{[^}]*outcome="SUCCESS"[^}]*\} [1-9]/);
  });

  it('answers bad input and unknown payments with clear errors', async () => {
    const bad = await request(http)
      .post('/payments')
      .send({ id: 'p 1', amountMinor: -5, currency: 'euro' })
      .expect(400);
    const messages = (bad.body as { message: string[] }).message.join('; ');
    expect(messages).toMatch(/id must be/);
    expect(messages).toMatch(/amountMinor must be a positive number/);
    expect(messages).toMatch(/currency must be an ISO 4217 code/);

    const missing = uniqueName('nope');
    await request(http).post(`/payments/${missing}/capture`).send({ amountMinor: 1 }).expect(404);
    await request(http).get(`/payments/${missing}`).expect(404);

    const id = uniqueName('pay');
    await request(http).post('/payments').send({ id, amountMinor: 100, currency: 'EUR' });
    await request(http)
      .post('/payments')
      .send({ id, amountMinor: 100, currency: 'EUR' })
      .expect(409);
    const over = await request(http)
      .post(`/payments/${id}/capture`)
      .send({ amountMinor: 101 })
      .expect(409);
    expect((over.body as { message: string }).message).toContain('exceeds the 100 authorized');
  });
});
