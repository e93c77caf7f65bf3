import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { MessagingStatus } from '@keel/messaging';
import { AppModule } from '../src/app.module';
import { PaymentsConfig } from '../src/config/payments.config';
import { freePort } from '../../../test/support/free-port';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { stackEnv } from '../../../test/support/stack-env';
import { realStack } from './support/real-stack';

interface Outage {
  config: PaymentsConfig;
  /** Takes the dependency away once the app is up. */
  afterBoot?: () => Promise<void>;
}

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
      // ready means the ledger listener has joined its group too
      await app.get(MessagingStatus).whenRunning(30_000);
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

  // Kafka or Redis with nothing listening at boot (the app still boots), MariaDB cut after boot
  // (the app needs its database to start): the report must name it, within its budget.
  const mariadbTarget = new URL(stackEnv.mariadbUrl);
  // With Kafka down the app's listeners cannot run either, so `kafka_consumers` is down too.
  it.each<[string, string[], (c: PaymentsConfig) => Promise<Outage>]>([
    [
      'kafka',
      ['kafka', 'kafka_consumers'],
      async (c) => ({ config: { ...c, kafkaBrokers: [`127.0.0.1:${await freePort()}`] } }),
    ],
    [
      'redis',
      ['redis'],
      async (c) => ({ config: { ...c, redisUrl: `redis://127.0.0.1:${await freePort()}` } }),
    ],
    [
      'mariadb',
      ['mariadb'],
      async (c) => {
        const proxy = new TcpProxy(await freePort(), {
          host: mariadbTarget.hostname,
          port: Number(mariadbTarget.port || 3306),
        });
        await proxy.open();
        const url = new URL(c.mariadbUrl);
        url.port = String(proxy.port);
        return { config: { ...c, mariadbUrl: url.toString() }, afterBoot: () => proxy.cut() };
      },
    ],
  ])('answers 503 naming %s when it does not answer', async (name, down, outage) => {
    const { config, afterBoot } = await outage(realStack);
    const app = await boot(config);
    try {
      await afterBoot?.();
      const started = Date.now();
      const res = await request(app.getHttpServer() as Server)
        .get('/health')
        .expect(503);
      const body = res.body as Report;
      expect(body.status).toBe('error');
      expect(Object.keys(body.error).sort()).toEqual(down);
      expect(body.error[name].message).toEqual(expect.any(String));
      expect(Date.now() - started).toBeLessThan(realStack.healthTimeoutMs + 1500);
    } finally {
      await app.close();
    }
  });
});
