// Every lib as a user gets it: built, `npm pack`ed, installed with plain `npm install` into a
// plain JavaScript app outside the repository, on Nest 12 and on Nest 11 (the libs' peer ranges
// are `^11 || ^12`), and booted against the real Redis and Kafka.
import { copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../support/free-port';
import { stackEnv, uniqueName } from '../support/stack-env';
import { ConsumerProcess, type ConsumerReady } from './support/consumer-process';
import {
  appDependencies,
  buildLibs,
  installApp,
  installedVersion,
  LIBS,
  packLibs,
  run,
  treeProblems,
  typeCheckApp,
  type PackedLib,
} from './support/pack-install';
import { sampleValue } from './support/prom-text';

// build (~40 s on 2 cores), two installs side by side, two boots
const SETUP_TIMEOUT_MS = 10 * 60_000;

interface Flavour {
  name: string;
  /** Where the versions of the app's dependencies come from. */
  manifest: string;
  /** Majors npm must have installed, so we know which side of each `||` was tested. */
  majors: Record<string, number>;
}

const FLAVOURS: Flavour[] = [
  {
    name: 'Nest 12',
    manifest: 'package.json',
    majors: {
      '@nestjs/core': 12,
      '@nestjs/terminus': 12,
      ioredis: 6,
      'nestjs-pino': 5,
      pino: 10,
      'pino-http': 11,
    },
  },
  {
    name: 'Nest 11',
    manifest: 'test/compat/nest11/package.json',
    majors: {
      '@nestjs/core': 11,
      '@nestjs/terminus': 11,
      ioredis: 5,
      'nestjs-pino': 4,
      pino: 9,
      'pino-http': 10,
    },
  },
];

interface Booted {
  dir: string;
  app: ConsumerProcess;
  ready: ConsumerReady;
  topic: string;
  lockPrefix: string;
  installMs: number;
  bootMs: number;
}

interface Received {
  payload: { id: string };
  key: string;
  topic: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it gives a value; fails with `what` after `timeoutMs`. */
async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} (waited ${timeoutMs} ms)`);
    await sleep(25);
  }
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function scrape(app: ConsumerProcess): Promise<string> {
  const res = await fetch(app.url('/metrics'));
  expect(res.status).toBe(200);
  return res.text();
}

describe('the packed libs installed into plain apps outside the repository (integration)', () => {
  const redis = new Redis(stackEnv.redisUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  const topics = new Map(FLAVOURS.map((f) => [f.name, uniqueName('keel.pack')]));
  const dirs: string[] = [];
  const apps: ConsumerProcess[] = [];
  const booted = new Map<string, Promise<Booted>>();
  let packed: PackedLib[] = [];

  /** A missing server fails here, before any build or install; it never skips. */
  async function requireStack(): Promise<void> {
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      throw new Error(
        `Redis at ${stackEnv.redisUrl} does not answer (${(err as Error).message}): ` +
          'start the stack with bash scripts/stack.sh up',
      );
    }
    const admin = new Kafka({
      clientId: 'keel-packaging-test',
      brokers: stackEnv.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 2 },
    }).admin();
    try {
      await admin.connect();
      // created up front: the listener finds its topic with its partition at once
      await admin.createTopics({
        waitForLeaders: true,
        topics: [...topics.values()].map((topic) => ({ topic, numPartitions: 1 })),
      });
    } catch (err) {
      throw new Error(
        `Kafka at ${stackEnv.kafkaBrokers.join(',')} does not answer (${(err as Error).message}): ` +
          'start the stack with bash scripts/stack.sh up',
      );
    } finally {
      await admin.disconnect();
    }
  }

  async function install(f: Flavour): Promise<Booted> {
    // realpath: the app reports resolved paths, and tmpdir() may sit behind a symlink
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'keel-consumer-')));
    dirs.push(dir);
    const installMs = await installApp(dir, packed, appDependencies(f.manifest));
    copyFileSync(join(__dirname, 'support', 'consumer-app.js'), join(dir, 'consumer-app.js'));
    const topic = topics.get(f.name)!;
    const lockPrefix = `keel:pack:${uniqueName('lock')}:`;
    const started = Date.now();
    const { app, ready } = await ConsumerProcess.start(dir, await freePort(), {
      REDIS_URL: stackEnv.redisUrl,
      KAFKA_BROKERS: stackEnv.kafkaBrokers.join(','),
      KEEL_TOPIC: topic,
      KEEL_CLIENT_ID: uniqueName('keel-pack'),
      KEEL_LOCK_PREFIX: lockPrefix,
      LOG_LEVEL: 'info', // request lines too: the logging check reads them
    });
    apps.push(app);
    return { dir, app, ready, topic, lockPrefix, installMs, bootMs: Date.now() - started };
  }

  beforeAll(async () => {
    const started = Date.now();
    await requireStack();
    buildLibs();
    const packDir = mkdtempSync(join(tmpdir(), 'keel-pack-'));
    dirs.push(packDir);
    packed = packLibs(packDir);
    // both installs at once; one flavour failing must not hide the other's results
    for (const f of FLAVOURS) booted.set(f.name, install(f));
    const results = await Promise.allSettled(booted.values());
    const timings = FLAVOURS.map((f, i) => {
      const r = results[i];
      return r.status === 'fulfilled'
        ? `${f.name}: install ${r.value.installMs} ms, boot ${r.value.bootMs} ms`
        : `${f.name}: failed`;
    });
    console.info(`packaging setup ${Date.now() - started} ms (${timings.join('; ')})`);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    if (redis.status === 'ready') {
      for (const b of await Promise.allSettled(booted.values())) {
        if (b.status !== 'fulfilled') continue;
        const keys = await scanKeys(redis, `${b.value.lockPrefix}*`);
        if (keys.length > 0) await redis.del(...keys); // fence counters never expire
      }
    }
    redis.disconnect();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('packs each lib with its compiled dist and typings, no sources or specs', () => {
    expect(packed.map((p) => p.name)).toEqual(LIBS.map((l) => `@keel/${l}`));
    for (const p of packed) {
      expect(p.files).toEqual(
        expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']),
      );
      expect(p.files.filter((f) => /^src\/|\.spec\.|\.tsbuildinfo$/.test(f))).toEqual([]);
    }
  });

  describe.each(FLAVOURS)('in a $name app', (f) => {
    const setup = (): Promise<Booted> => booted.get(f.name)!;

    it('installs with npm resolving every peer, and loads the libs from its own node_modules', async () => {
      const { dir, ready } = await setup();
      const majors = Object.fromEntries(
        Object.keys(f.majors).map((n) => [n, Number(installedVersion(dir, n).split('.')[0])]),
      );
      expect(majors).toEqual(f.majors);
      // a peer range npm could not satisfy shows here as "invalid" (optional ones unmet are fine)
      expect(await treeProblems(dir)).toEqual([]);
      for (const lib of LIBS) {
        expect(ready.resolved[`@keel/${lib}`]).toBe(
          join(dir, 'node_modules', '@keel', lib, 'dist', 'index.js'),
        );
      }
    });

    it('installs only what the README says, and its typings compile with skipLibCheck: false', async () => {
      const { dir } = await setup();
      expect(installedVersion(dir, 'typeorm', false)).toBeUndefined(); // an optional peer
      const check = await typeCheckApp(dir);
      expect(check.output).toBe('');
      expect(check.code).toBe(0);
    });

    it.each([
      [
        'lock-without-module',
        'Captures.capture() has @DistributedLock but LockModule (@keel/lock) is not imported',
      ],
      ['metrics-twice', 'MetricsModule is imported twice in this application'],
    ])("fails the boot of a miswired app (%s) with Keel's message", async (name, message) => {
      const { dir } = await setup();
      copyFileSync(join(__dirname, 'support', 'miswired-app.js'), join(dir, 'miswired-app.js'));
      const res = await run(process.execPath, ['miswired-app.js', name], dir);
      expect(res.stdout).toContain('KEEL_BOOT_FAILED');
      expect(res.stdout).toContain(message);
      expect(res.code).toBe(1);
    });

    it('holds a Redis lock while the @DistributedLock method runs, and counts it on /metrics', async () => {
      const { app, lockPrefix } = await setup();
      const id = uniqueName('pay');
      // the method waits for /probe/release: "while it runs" is not a timing guess
      const first = fetch(app.url(`/probe/settle/${id}?hold=1`));
      first.catch(() => undefined); // awaited below; no unhandled rejection if we fail first
      let lockKey: string;
      try {
        lockKey = await waitFor(
          async () => {
            for (const k of await scanKeys(redis, `${lockPrefix}*`)) {
              if (k.includes(`settle:${id}`) && (await redis.pttl(k)) > 0) return k;
            }
            return undefined;
          },
          10_000,
          `no Redis key with a lease under ${lockPrefix} while Settlement.settle('${id}') ran`,
        );
        // a second caller is turned away while the first holds it (onBusy: 'throw' -> 409)
        expect((await fetch(app.url(`/probe/settle/${id}`))).status).toBe(409);
      } finally {
        await fetch(app.url(`/probe/release/${id}`), { method: 'POST' });
      }
      const res = await first;
      expect(res.status).toBe(200);
      const firstToken = ((await res.json()) as { fencingToken: number | null }).fencingToken;
      await waitFor(
        async () => ((await redis.pttl(lockKey)) === -2 ? true : undefined),
        5_000,
        `${lockKey} still there after the method returned`,
      );
      const again = await fetch(app.url(`/probe/settle/${id}`));
      expect(again.status).toBe(200);
      const nextToken = ((await again.json()) as { fencingToken: number | null }).fencingToken;
      expect(typeof firstToken).toBe('number');
      expect(nextToken).toBeGreaterThan(firstToken!);

      const text = await scrape(app);
      // @Timed sits above @DistributedLock: it also times the call the lock turned away
      const timer = { class: 'Settlement', method: 'settle' };
      expect({
        success: sampleValue(text, 'keel_pack_settle_seconds_count', {
          ...timer,
          outcome: 'SUCCESS',
        }),
        busy: sampleValue(text, 'keel_pack_settle_seconds_count', {
          ...timer,
          outcome: 'ERROR',
          exception: 'LockNotAcquiredError',
        }),
      }).toEqual({ success: 2, busy: 1 });
      const lock = { name: 'Settlement.settle' };
      expect({
        acquired: sampleValue(text, 'keel_lock_acquire_total', { ...lock, result: 'acquired' }),
        busy: sampleValue(text, 'keel_lock_acquire_total', { ...lock, result: 'busy' }),
        held: sampleValue(text, 'keel_lock_held_seconds_count', lock),
      }).toEqual({ acquired: 2, busy: 1, held: 2 });
    });

    it('consumes in its @KafkaListener the message it produced with KafkaProducer', async () => {
      const { app, topic } = await setup();
      const id = uniqueName('msg');
      expect((await fetch(app.url(`/probe/publish/${id}`), { method: 'POST' })).status).toBe(201);
      const got = await waitFor(
        async () => {
          const inbox = (await (await fetch(app.url('/probe/inbox'))).json()) as Received[];
          return inbox.find((m) => m.payload.id === id);
        },
        30_000,
        `the listener on ${topic} never got message ${id}`,
      );
      expect(got).toEqual({ payload: { id }, key: id, topic });
      const text = await scrape(app);
      expect({
        produced: sampleValue(text, 'keel_kafka_produced_total', { topic, outcome: 'success' }),
        consumed: sampleValue(text, 'keel_kafka_consumed_total', { topic, outcome: 'success' }),
      }).toEqual({ produced: 1, consumed: 1 });
    });

    it('answers 200 on /health/ready with Redis, Kafka and its consumer up, logged with its request id', async () => {
      const { app } = await setup();
      const res = await fetch(app.url('/health/ready'));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        info: {
          redis: { status: 'up' },
          kafka: { status: 'up' },
          kafka_consumers: {
            status: 'up',
            consumers: [{ listener: 'Inbox.receive', state: 'running' }],
          },
        },
      });
      // @keel/logging's middleware gave the request an id and pino logged the request with it
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      await waitFor(
        () =>
          app
            .logLines()
            .find((l) => l.requestId === requestId && l.service === 'keel-pack-consumer'),
        5_000,
        `no JSON log line with requestId ${requestId}`,
      );
    });

    it('stops on SIGTERM, and logged no warning or error and wrote no Node warning in all its life', async () => {
      const { app } = await setup();
      // Nest's shutdown hooks close the app, then re-raise the signal: SIGTERM, not our SIGKILL
      const exit = await app.stop();
      expect({ exit, nodeWarnings: app.nodeWarnings(), logged: app.logProblems() }).toEqual({
        exit: { code: null, signal: 'SIGTERM' },
        nodeWarnings: [],
        logged: [], // boot, the requests above and shutdown: nothing at warn or above
      });
    });
  });
});
