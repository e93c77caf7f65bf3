import { Inject, Injectable } from '@nestjs/common';
import { assignContext, getContext } from '@keel/core';
import { InjectPinoLogger, PinoLogger } from '@keel/logging';
import { KafkaListener } from '@keel/messaging';
import type { DataSource } from 'typeorm';
import { PaymentCapturedEvent } from './payment.dto';
import { PAYMENTS_DATA_SOURCE } from './payments-database.module';
import { PAYMENT_CAPTURED_TOPIC } from './payments.schema';

/** Books every captured payment once: deduped by event id in Redis and by the table's key. */
@Injectable()
export class LedgerListener {
  constructor(
    @Inject(PAYMENTS_DATA_SOURCE) private readonly ds: DataSource,
    @InjectPinoLogger(LedgerListener.name) private readonly logger: PinoLogger,
  ) {}

  @KafkaListener({
    topics: PAYMENT_CAPTURED_TOPIC,
    groupId: 'payments.ledger',
    // a new ledger group books every capture there ever was, not only those after it joined
    fromBeginning: true,
    schema: PaymentCapturedEvent,
    idempotent: true,
    retry: { attempts: 4, nonBlocking: true },
  })
  async onCaptured(event: PaymentCapturedEvent): Promise<void> {
    assignContext({ paymentId: event.paymentId });
    await this.ds.query(
      `INSERT IGNORE INTO ledger_entries
         (event_id, payment_id, amount_minor, currency, trace_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        event.eventId,
        event.paymentId,
        event.amountMinor,
        event.currency,
        getContext()?.traceId ?? null,
        Date.now(),
      ],
    );
    this.logger.info({ eventId: event.eventId }, 'ledger entry booked');
  }
}
