import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments.config';
import { openPaymentsDatabase } from './payments.schema';

export const PAYMENTS_DATA_SOURCE = Symbol('PAYMENTS_DATA_SOURCE');

class PaymentsDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(PAYMENTS_DATA_SOURCE) private readonly ds: DataSource) {}

  // after the outbox relay and the listeners have stopped (they stop before shutdown hooks)
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

@Module({
  providers: [
    {
      provide: PAYMENTS_DATA_SOURCE,
      inject: [PAYMENTS_CONFIG],
      useFactory: (config: PaymentsConfig) => openPaymentsDatabase(config.mariadbUrl),
    },
    PaymentsDatabaseCloser,
  ],
  exports: [PAYMENTS_DATA_SOURCE],
})
export class PaymentsDatabaseModule {}
