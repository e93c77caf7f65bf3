import { INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { KeelConfigError } from '@keel/core';
import { HealthChecks, HealthModule, HealthModuleOptions } from '@keel/health';
import { freePort } from '../../../test/support/free-port';
import { stackEnv } from '../../../test/support/stack-env';

async function boot(options: HealthModuleOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [HealthModule.forRoot(options)],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

const real: HealthModuleOptions = {
  redis: stackEnv.redisUrl,
  kafka: { brokers: stackEnv.kafkaBrokers },
  timeoutMs: 2_000,
};

describe('@keel/health endpoints (e2e, real Redis and Kafka)', () => {
  it('ready is 200 with Redis and Kafka up, each with its latency; live is 200', async () => {
    const app = await boot(real);
    try {
      const server = app.getHttpServer() as Server;
      const ready = await request(server).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { redis: { status: 'up' }, kafka: { status: 'up', brokers: 1 } },
      });
      const body = ready.body as { info: Record<string, { latencyMs: number }> };
      expect(body.info.redis.latencyMs).toBeGreaterThanOrEqual(0);
      expect(body.info.kafka.latencyMs).toBeGreaterThanOrEqual(0);
      await request(server).get('/health/live').expect(200);
      const full = await request(server).get('/health').expect(200);
      expect(full.body).toMatchObject({ status: 'ok', phase: 'ready' });
    } finally {
      await app.close();
    }
  });

  it('ready is 503 naming kafka when the brokers do not answer, live stays 200', async () => {
    const app = await boot({
      ...real,
      kafka: { brokers: [`127.0.0.1:${await freePort()}`] },
      timeoutMs: 1_000,
    });
    try {
      const server = app.getHttpServer() as Server;
      const started = Date.now();
      const ready = await request(server).get('/health/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { kafka: { status: 'down' } },
        info: { redis: { status: 'up' } },
      });
      await request(server).get('/health/live').expect(200);
      const full = await request(server).get('/health').expect(503);
      expect(full.body).toMatchObject({ status: 'error', phase: 'ready' });
    } finally {
      await app.close();
    }
  });

  it('a failed check logs one structured line (no terminus box art), naming what is down', async () => {
    const logged: { level: string; message: unknown; context: unknown }[] = [];
    const record =
      (level: string) =>
      (message: unknown, ...rest: unknown[]): void => {
        logged.push({ level, message, context: rest[rest.length - 1] });
      };
    const logger: LoggerService = {
      log: record('log'),
      error: record('error'),
      warn: record('warn'),
      debug: record('debug'),
      verbose: record('verbose'),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRoot({
          indicators: {
            ledger: () => Promise.resolve({ ledger: { status: 'down', message: 'unreachable' } }),
          },
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    try {
      await request(app.getHttpServer() as Server)
        .get('/health/ready')
        .expect(503);
      const problems = logged.filter((l) => l.level === 'error' || l.level === 'warn');
      expect(problems).toHaveLength(1);
      const [line] = problems;
      expect(JSON.stringify(line.message)).not.toMatch(/\\u001b|┌|│/);
      expect(line.message).toMatchObject({
        msg: 'health check failed: ledger',
        probe: 'ready',
        down: ['ledger'],
      });
    } finally {
      await app.close();
    }
  });

  it('a Redis nothing listens on is reported down with its address and ECONNREFUSED, never the password', async () => {
    const port = await freePort();
    const app = await boot({ redis: `redis://:s3cret@127.0.0.1:${port}`, timeoutMs: 1_000 });
    try {
      const ready = await request(app.getHttpServer() as Server)
        .get('/health/ready')
        .expect(503);
      const text = (ready.body as { error: { redis: { message: string } } }).error.redis.message;
      expect(text).toContain(`Redis at 127.0.0.1:${port}`);
      expect(text).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
      expect(JSON.stringify(ready.body)).not.toContain('s3cret');
    } finally {
      await app.close();
    }
  });

  it('takes extra indicators, run-time registrations and a custom path', async () => {
    const app = await boot({
      path: '/ops/health/',
      indicators: { custom: () => Promise.resolve({ custom: { status: 'up' } }) },
    });
    try {
      const server = app.getHttpServer() as Server;
      app
        .get(HealthChecks)
        .register('late', () =>
          Promise.resolve({ late: { status: 'up', note: 'registered later' } }),
        );
      const ready = await request(server).get('/ops/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        info: { custom: { status: 'up' }, late: { note: 'registered later' } },
      });
      await request(server).get('/health/ready').expect(404);
    } finally {
      await app.close();
    }
  });

  it.each([
    [{ timeoutMs: 0 }, /timeoutMs must be/],
    [{ drainMs: -1 }, /drainMs must be/],
    [{ kafka: { brokers: [] } }, /kafka.brokers/],
    [{ path: 'a b' }, /path must be/],
    [{ indicators: { x: 'nope' } }, /indicators.x must be a function/],
  ])('bad option %j fails the boot naming it', async (options, message) => {
    const err = await boot(options as HealthModuleOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KeelConfigError);
    expect(String(err)).toMatch(message);
  });
});
