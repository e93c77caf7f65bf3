import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { HealthModule } from '@keel/health';
import { stackEnv } from '../../../test/support/stack-env';

const ROOT = join(__dirname, '..', '..', '..');
const STACK = join(ROOT, 'scripts', 'stack.sh');

function stack(...args: string[]): void {
  execFileSync('bash', [STACK, ...args], { cwd: ROOT, stdio: 'pipe' });
}

// Stops and starts the real local broker: runs in the serial `reliability` project.
describe('health with the local Kafka broker stopped and started (reliability)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    // fail loudly when the broker is not ours to stop (an external KAFKA_BROKERS, or not started by stack.sh)
    const pidFile = join(process.env.KEEL_STACK_DIR ?? join(ROOT, '.stack'), 'pids', 'kafka.pid');
    if (!existsSync(pidFile))
      throw new Error(`the local Kafka was not started by scripts/stack.sh (no ${pidFile})`);
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRoot({
          redis: stackEnv.redisUrl,
          kafka: { brokers: stackEnv.kafkaBrokers },
          timeoutMs: 1_500,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    stack('up', 'kafka'); // leave the stack as we found it, whatever happened
    await app.close();
  });

  it('ready 200 → broker stopped: 503 naming kafka, live 200 → broker started: 200', async () => {
    const server = app.getHttpServer() as Server;
    await request(server).get('/health/ready').expect(200);

    stack('down', 'kafka');
    const down = await request(server).get('/health/ready').expect(503);
    expect(down.body).toMatchObject({
      error: { kafka: { status: 'down' } },
      info: { redis: { status: 'up' } },
    });
    await request(server).get('/health/live').expect(200);

    stack('up', 'kafka');
    const deadline = Date.now() + 30_000;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await request(server).get('/health/ready')).status;
      if (last === 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(last).toBe(200);
  });
});
