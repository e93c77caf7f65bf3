import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { PaymentsConfig } from '../src/config/payments.config';
import { freePort } from '../../../test/support/free-port';
import { stackEnv } from '../../../test/support/stack-env';

const realStack: PaymentsConfig = {
  port: 0,
  redisUrl: stackEnv.redisUrl,
  kafkaBrokers: stackEnv.kafkaBrokers,
  mariadbUrl: stackEnv.mariadbUrl,
  healthTimeoutMs: 2000,
  drainMs: 0,
  prettyLogs: false,
};

interface Report {
  status: 'ok' | 'error';
  info: Record<string, { status: string; latencyMs?: number }>;
  error: Record<string, { status: string; message?: string }>;
}

async function boot(config: PaymentsConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
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
      const body = res.body as Report;
      expect(body.status).toBe('ok');
      for (const name of ['redis', 'kafka', 'mariadb']) {
        expect(body.info[name].status).toBe('up');
        expect(body.info[name].latencyMs).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await app.close();
    }
  });

  // A dependency whose address has nothing listening: the report must name it, within its budget.
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
      const body = res.body as Report;
      expect(body.status).toBe('error');
      expect(Object.keys(body.error)).toEqual([name]);
      expect(body.error[name].message).toEqual(expect.any(String));
      expect(Date.now() - started).toBeLessThan(realStack.healthTimeoutMs + 1500);
    } finally {
      await app.close();
    }
  });
});
