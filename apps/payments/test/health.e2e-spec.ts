import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { PaymentsConfig } from '../src/config/payments.config';
import { HealthReport } from '../src/health/health.controller';
import { freePort } from '../../../test/support/free-port';
import { stackEnv } from '../../../test/support/stack-env';

const realStack: PaymentsConfig = {
  port: 0,
  redisUrl: stackEnv.redisUrl,
  kafkaBrokers: stackEnv.kafkaBrokers,
  mariadbUrl: stackEnv.mariadbUrl,
  healthTimeoutMs: 2000,
};

async function boot(config: PaymentsConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableShutdownHooks();
  await app.init();
  return app;
}

describe('payments GET /health (e2e, real Redis, Kafka, MariaDB)', () => {
  it('answers 200 with every dependency up and its latency', async () => {
    const app = await boot(realStack);
    try {
      const res = await request(app.getHttpServer() as Server)
        .get('/health')
        .expect(200);
      const body = res.body as HealthReport;
      expect(body.status).toBe('ok');
      expect(body.down).toEqual([]);
      for (const name of ['redis', 'kafka', 'mariadb'] as const) {
        expect(body.checks[name].status).toBe('up');
        expect(body.checks[name].latencyMs).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await app.close();
    }
  });

  // A dependency whose address has nothing listening: the check must say so, within its budget.
  it.each([
    [
      'kafka',
      async (c: PaymentsConfig) => ({ ...c, kafkaBrokers: [`127.0.0.1:${await freePort()}`] }),
    ],
    [
      'redis',
      async (c: PaymentsConfig) => ({ ...c, redisUrl: `redis://127.0.0.1:${await freePort()}` }),
    ],
    [
      'mariadb',
      async (c: PaymentsConfig) => ({
        ...c,
        mariadbUrl: `mysql://root@127.0.0.1:${await freePort()}/keel`,
      }),
    ],
  ])('answers 503 naming %s when it does not answer', async (name, breakIt) => {
    const app = await boot(await breakIt(realStack));
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer() as Server)
        .get('/health')
        .expect(503);
      const body = res.body as HealthReport;
      expect(body.status).toBe('error');
      expect(body.down).toEqual([name]);
      expect(body.checks[name as 'redis'].error).toEqual(expect.any(String));
      expect(Date.now() - started).toBeLessThan(realStack.healthTimeoutMs + 1500);
    } finally {
      await app.close();
    }
  });
});
