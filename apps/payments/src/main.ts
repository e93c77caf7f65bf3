import { NestFactory } from '@nestjs/core';
import { PinoLogger, useKeelLogger } from '@keel/logging';
import { AppModule } from './app.module';
import { loadPaymentsConfig } from './config/payments.config';

async function bootstrap(): Promise<void> {
  const config = loadPaymentsConfig();
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  useKeelLogger(app);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  (await app.resolve(PinoLogger)).info({ port: config.port }, 'payments listening');
}

void bootstrap();
