import { Module } from '@nestjs/common';
import { OutboxModule } from '@keel/messaging/outbox';
import type { DataSource } from 'typeorm';
import { LedgerListener } from './ledger.listener';
import { PaymentsController } from './payments.controller';
import { PAYMENTS_DATA_SOURCE, PaymentsDatabaseModule } from './payments-database.module';
import { PaymentsService } from './payments.service';

/** Authorize, capture (lock + fencing + outbox) and the ledger that books each capture. */
@Module({
  imports: [
    PaymentsDatabaseModule,
    OutboxModule.forRootAsync({
      imports: [PaymentsDatabaseModule],
      inject: [PAYMENTS_DATA_SOURCE],
      useFactory: (dataSource: DataSource) => ({ dataSource }),
    }),
  ],
  controllers: [PaymentsController],
  providers: [PaymentsService, LedgerListener],
})
export class PaymentsModule {}
