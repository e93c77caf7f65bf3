import { DynamicModule, Module } from '@nestjs/common';
import { loadPaymentsConfig, PAYMENTS_CONFIG, PaymentsConfig } from './config/payments.config';
import { DependenciesService } from './health/dependencies.service';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: PaymentsConfig = loadPaymentsConfig()): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [{ provide: PAYMENTS_CONFIG, useValue: config }, DependenciesService],
    };
  }
}
