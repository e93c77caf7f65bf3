import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '@keel/health';
import { LockModule } from '@keel/lock';
import { LoggingModule } from '@keel/logging';
import { MessagingModule } from '@keel/messaging';
import { MetricsModule } from '@keel/metrics';
import { loadPaymentsConfig, PAYMENTS_CONFIG, PaymentsConfig } from './config/payments.config';
import { MariadbHealth } from './health/mariadb.health';
import { PaymentsHealthModule } from './health/payments-health.module';
import { PaymentsModule } from './payments/payments.module';

@Module({})
export class AppModule {
  static forRoot(config: PaymentsConfig = loadPaymentsConfig()): DynamicModule {
    const configModule: DynamicModule = {
      module: class PaymentsConfigModule {},
      global: true,
      providers: [{ provide: PAYMENTS_CONFIG, useValue: config }],
      exports: [PAYMENTS_CONFIG],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        LoggingModule.forRoot({ service: 'payments', pretty: config.prettyLogs }),
        MetricsModule.forRoot({ service: 'payments' }),
        LockModule.forRoot({ redis: config.redisUrl }),
        MessagingModule.forRoot({
          brokers: config.kafkaBrokers,
          clientId: 'keel-payments',
          idempotency: { redis: config.redisUrl },
        }),
        HealthModule.forRootAsync({
          imports: [PaymentsHealthModule],
          inject: [MariadbHealth],
          useFactory: (mariadb: MariadbHealth) => ({
            redis: config.redisUrl,
            kafka: { brokers: config.kafkaBrokers, clientId: 'keel-payments-health' },
            indicators: { mariadb: () => mariadb.check() },
            timeoutMs: config.healthTimeoutMs,
            drainMs: config.drainMs,
          }),
        }),
        PaymentsModule,
      ],
    };
  }
}
