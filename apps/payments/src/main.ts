import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadPaymentsConfig } from './config/payments.config';

async function bootstrap(): Promise<void> {
  const config = loadPaymentsConfig();
  const app = await NestFactory.create(AppModule.forRoot(config));
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  Logger.log(`payments listening on :${config.port}`, 'Bootstrap');
}

void bootstrap();
