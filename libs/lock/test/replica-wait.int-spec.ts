import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { LockModule, LockNotReplicatedError, LockService } from '@keel/lock';
import { RedisNode, startRedisNode } from './support/redis-nodes';

const TIMEOUT_MS = 300;
const PREFIX = 'keel:replica-test:';

// waitForReplicas on a real primary and a replica of it, both started here.
describe('LockModule waitForReplicas on a primary with one replica (integration)', () => {
  let primary: RedisNode;
  let replica: RedisNode;
  let onPrimary: Redis;
  let onReplica: Redis;
  let app: INestApplication;
  let locks: LockService;
  let otherApp: INestApplication;
  let otherLocks: LockService;

  beforeAll(async () => {
    primary = await startRedisNode();
    replica = await startRedisNode(['--replicaof', '127.0.0.1', String(primary.port)]);
    onPrimary = new Redis(primary.url);
    onReplica = new Redis(replica.url);
    await until(async () =>
      (await onReplica.info('replication')).includes('master_link_status:up'),
    );
    await until(async () => (await onPrimary.info('replication')).includes('connected_slaves:1'));
    // the other app's waiters poll every 5 s: no write of theirs after the pause
    [app, otherApp] = [await boot(primary.url), await boot(primary.url, 10_000)];
    [locks, otherLocks] = [app.get(LockService), otherApp.get(LockService)];
  });

  afterEach(() => replica.resume());

  afterAll(async () => {
    await app?.close();
    await otherApp?.close();
    onPrimary?.disconnect();
    onReplica?.disconnect();
    await replica?.stop();
    await primary?.stop();
  });

  it('grants once the replica has the lock and its fence', async () => {
    const handle = await locks.acquire('order:1');
    // the replica answered WAIT, so it holds what the grant wrote
    expect(await onReplica.get(`${PREFIX}{order:1}`)).not.toBeNull();
    expect(Number(await onReplica.get(`${PREFIX}{order:1}:fence`))).toBe(handle.fencingToken);
    await handle.release();
  });

  it('fails a grant the stopped replica cannot acknowledge, within the timeout, holding nothing', async () => {
    replica.pause();
    const started = performance.now();
    const err = await locks.tryAcquire('order:2').catch((e: unknown) => e);
    const took = performance.now() - started;
    expect(err).toBeInstanceOf(LockNotReplicatedError);
    expect((err as Error).message).toMatch(/reached 0 of 1 replicas .*It was released/);
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(took).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(await onPrimary.get(`${PREFIX}{order:2}`)).toBeNull();
  });

  it('fails an extension the stopped replica cannot acknowledge, keeping the lock', async () => {
    const handle = await locks.acquire('order:3', { watchdog: false });
    replica.pause();
    await expect(handle.extend()).rejects.toBeInstanceOf(LockNotReplicatedError);
    expect(handle.isHeld).toBe(true); // the lease that did reach the replica still stands
    replica.resume();
    await handle.extend();
    expect(await handle.release()).toBe(true);
  });

  // a release hands the lock to the queued waiter on the releaser's connection: the waiter must
  // get it replicated itself, not trust the announcement nor a WAIT that covers only its own
  // older writes
  it('does not count a lock handed over that the replica did not get', async () => {
    const holder = await locks.acquire('order:4');
    const waiting = otherLocks.acquire('order:4', { waitMs: 1_500 }).catch((e: unknown) => e);
    await until(async () => (await onPrimary.llen(`${PREFIX}{order:4}:q`)) === 1);
    // everything written so far (the waiter's queue entry too) has reached the replica
    await onPrimary.set(`${PREFIX}marker`, '1');
    expect(await onPrimary.wait(1, 2_000)).toBe(1);
    replica.pause();
    await holder.release();
    const err = await waiting;
    expect(err).toBeInstanceOf(LockNotReplicatedError);
    expect(await onPrimary.get(`${PREFIX}{order:4}`)).toBeNull();
  });
});

function boot(url: string, pollMaxMs = 1_000): Promise<INestApplication> {
  return Test.createTestingModule({
    imports: [
      LockModule.forRoot({
        redis: url,
        keyPrefix: PREFIX,
        registry: new Registry(),
        retry: { pollMaxMs },
        waitForReplicas: { replicas: 1, timeoutMs: TIMEOUT_MS },
      }),
    ],
  })
    .compile()
    .then(async (moduleRef) => {
      const app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      return app;
    });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the replica did not connect to its primary');
    await new Promise((r) => setTimeout(r, 50));
  }
}
