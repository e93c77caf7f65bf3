import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { assignContext } from '@keel/core';
import { DistributedLock, LockService, sqlFence } from '@keel/lock';
import { InjectPinoLogger, PinoLogger } from '@keel/logging';
import { HEADER_MESSAGE_ID } from '@keel/messaging';
import { OutboxService } from '@keel/messaging/outbox';
import { Timed } from '@keel/metrics';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthorizePaymentDto, Payment, PaymentCapturedEvent } from './payment.dto';
import { PAYMENTS_DATA_SOURCE } from './payments-database.module';
import { PaymentNotFoundError, PaymentStateError } from './payments.errors';
import { PAYMENT_CAPTURED_TOPIC } from './payments.schema';

interface PaymentRow {
  id: string;
  amount_minor: string | number;
  currency: string;
  status: Payment['status'];
  captured_minor: string | number | null;
}

@Injectable()
export class PaymentsService {
  constructor(
    @Inject(PAYMENTS_DATA_SOURCE) private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly locks: LockService,
    @InjectPinoLogger(PaymentsService.name) private readonly logger: PinoLogger,
  ) {}

  async authorize(dto: AuthorizePaymentDto): Promise<Payment> {
    try {
      await this.ds.query(
        'INSERT INTO payments (id, amount_minor, currency, status, updated_at) VALUES (?, ?, ?, ?, ?)',
        [dto.id, dto.amountMinor, dto.currency, 'authorized', Date.now()],
      );
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new PaymentStateError(dto.id, 'already exists');
      }
      throw err;
    }
    return { ...dto, status: 'authorized', capturedMinor: null };
  }

  /**
   * Captures once, however many requests race: they queue on the payment's lock, and the write
   * carries the lock's fencing token, so a holder that lost its lease (a long GC pause) cannot
   * overwrite a newer one. The event goes out through the outbox, in the same transaction.
   */
  @DistributedLock({ key: 'payment:{0}', waitMs: 5_000 })
  @Timed('payments_capture_seconds', { description: 'Payment captures, lock wait included' })
  async capture(paymentId: string, amountMinor: number): Promise<Payment> {
    assignContext({ paymentId });
    const fence = sqlFence(this.locks.current()!.fencingToken);
    const captured = await this.ds.transaction(async (em) => {
      const p = await this.find(paymentId, em);
      if (p.status !== 'authorized') throw new PaymentStateError(paymentId, `is ${p.status}`);
      if (amountMinor > p.amountMinor) {
        throw new PaymentStateError(paymentId, `capture exceeds the ${p.amountMinor} authorized`);
      }
      const res = await em.query<{ affectedRows?: number }>(
        `UPDATE payments SET status = 'captured', captured_minor = ?, updated_at = ?, ${fence.assignment}
         WHERE id = ? AND status = 'authorized' AND ${fence.condition}`,
        [amountMinor, Date.now(), ...fence.params, paymentId, ...fence.params],
      );
      if (res.affectedRows !== 1) {
        throw new PaymentStateError(paymentId, 'a newer lock holder wrote first');
      }
      const event: PaymentCapturedEvent = {
        eventId: randomUUID(),
        paymentId,
        amountMinor,
        currency: p.currency,
        capturedAt: Date.now(),
      };
      await this.outbox.add(em, {
        topic: PAYMENT_CAPTURED_TOPIC,
        key: paymentId,
        value: event,
        headers: { [HEADER_MESSAGE_ID]: event.eventId },
      });
      return { ...p, status: 'captured' as const, capturedMinor: amountMinor };
    });
    this.logger.info({ amountMinor }, 'payment captured');
    return captured;
  }

  async find(id: string, em: EntityManager = this.ds.manager): Promise<Payment> {
    const rows = await em.query<PaymentRow[]>(
      'SELECT id, amount_minor, currency, status, captured_minor FROM payments WHERE id = ?',
      [id],
    );
    const row = rows[0];
    if (!row) throw new PaymentNotFoundError(id);
    return {
      id: row.id,
      amountMinor: Number(row.amount_minor),
      currency: row.currency,
      status: row.status,
      capturedMinor: row.captured_minor === null ? null : Number(row.captured_minor),
    };
  }
}
