import { Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Server } from 'node:http';
import request from 'supertest';
import { KEEL_CONSUMER_STATUS, type KeelConsumerState } from '@keel/core/internal';
import { HealthModule } from '@keel/health';
import { freePort } from '../../../test/support/free-port';
import { startRedisCluster } from '../../../test/support/redis-cluster';
import { stackEnv } from '../../../test/support/stack-env';

async function boot(imports: unknown[]): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('@keel/health: TypeORM, consumer and Redis Cluster indicators (e2e, real servers)', () => {
  it('checks the TypeORM DataSource (terminus’ own indicator) as `database`', async () => {
    const app = await boot([
      TypeOrmModule.forRoot({ type: 'mysql', url: stackEnv.mariadbUrl }),
      HealthModule.forRoot({ typeorm: true }),
    ]);
    try {
      const res = await request(app.getHttpServer() as Server)
        .get('/health/ready')
        .expect(200);
      expect(res.body).toMatchObject({ info: { database: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });

  it('reports `database` down when the DataSource is not connected', async () => {
    const app = await boot([
      TypeOrmModule.forRoot({
        type: 'mysql',
        url: `mysql://root@127.0.0.1:${await freePort()}/keel_test`,
        retryAttempts: 0,
        manualInitialization: true,
      }),
      HealthModule.forRoot({ typeorm: true, timeoutMs: 1_000 }),
    ]);
    try {
      const res = await request(app.getHttpServer() as Server)
        .get('/health/ready')
        .expect(503);
      expect(res.body).toMatchObject({ error: { database: { status: 'down' } } });
    } finally {
      await app.close();
    }
  });

  it('includes the consumers of a messaging lib when one provides KEEL_CONSUMER_STATUS', async () => {
    const states: KeelConsumerState[] = [
      { listener: 'Settlement.onCaptured', groupId: 'g1', state: 'running' },
    ];
    @Global()
    @Module({
      providers: [{ provide: KEEL_CONSUMER_STATUS, useValue: { consumers: () => states } }],
      exports: [KEEL_CONSUMER_STATUS],
    })
    class FakeMessagingModule {}
    const app = await boot([FakeMessagingModule, HealthModule.forRoot({})]);
    try {
      const server = app.getHttpServer() as Server;
      const up = await request(server).get('/health/ready').expect(200);
      expect(up.body).toMatchObject({ info: { kafka_consumers: { status: 'up' } } });
      states.push({ listener: 'Refunds.onRequested', groupId: 'g2', state: 'restarting' });
      const down = await request(server).get('/health/ready').expect(503);
      expect(down.body).toMatchObject({
        error: {
          kafka_consumers: {
            status: 'down',
            consumers: [{ state: 'running' }, { groupId: 'g2', state: 'restarting' }],
          },
        },
      });
    } finally {
      await app.close();
    }
  });

  it('pings every master of a Redis Cluster', async () => {
    const cluster = await startRedisCluster();
    const app = await boot([HealthModule.forRoot({ redis: cluster.client() })]);
    try {
      const res = await request(app.getHttpServer() as Server)
        .get('/health/ready')
        .expect(200);
      expect(res.body).toMatchObject({ info: { redis: { status: 'up', masters: 3 } } });
    } finally {
      await app.close();
      await cluster.stop();
    }
  });
});
