import { runWithContext } from '@keel/core';
import type { DataSource } from 'typeorm';
import { KafkaProducer } from '@keel/messaging';
import { OutboxTransactionError } from '@keel/messaging/outbox';
import {
  createTopics,
  metricValue,
  readTopic,
  sleep,
  topicRecordCount,
  unique,
} from './support/messaging-app';
import {
  bootOutboxApp,
  count,
  decodeEvents,
  dropTables,
  expectOrderedPerKey,
  insertBusinessRow,
  openDataSource,
  uniqueTable,
  type Dialect,
  type OutboxApp,
} from './support/outbox-app';

describe.each<Dialect>(['mariadb', 'postgres'])(
  'outbox on real %s and Kafka (integration)',
  (dialect) => {
    let ds: DataSource;
    let table: string;
    const apps: OutboxApp[] = [];

    beforeEach(async () => {
      table = uniqueTable('outbox');
      ds = await openDataSource(dialect, table);
    });
    afterEach(async () => {
      for (const a of apps.splice(0)) await a.app.close();
      await dropTables(ds, table);
    });

    const boot = async (relay: Parameters<typeof bootOutboxApp>[2]) => {
      const a = await bootOutboxApp(ds, table, relay);
      apps.push(a);
      return a;
    };

    it('business row and outbox row commit together; a rollback leaves neither and publishes nothing', async () => {
      const topic = unique('outbox-tx');
      await createTopics([topic]);
      const { outbox, relay, registry } = await boot(false);
      await expect(
        ds.transaction(async (em) => {
          await insertBusinessRow(em, table, 'rolled-back', 1);
          await outbox.add(em, { topic, key: 'p1', value: { id: 'rolled-back' } });
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      await runWithContext({ traceId, requestId: 'req-1' }, () =>
        ds.transaction(async (em) => {
          await insertBusinessRow(em, table, 'committed', 2);
          await outbox.add(em, {
            topic,
            key: 'p1',
            value: { id: 'committed' },
            headers: { a: 'b' },
          });
        }),
      );
      await expect(outbox.add(ds.manager, { topic, value: 1 })).rejects.toThrow(
        OutboxTransactionError,
      );
      expect(await count(ds, `SELECT COUNT(*) AS n FROM ${table}_biz`)).toBe(1);
      expect(await count(ds, `SELECT COUNT(*) AS n FROM ${table}`)).toBe(1);

      await sleep(20);
      await relay.refreshMetrics();
      expect(await metricValue(registry, 'keel_outbox_pending', { table })).toBe(1);
      expect(
        await metricValue(registry, 'keel_outbox_oldest_age_seconds', { table }),
      ).toBeGreaterThan(0);

      expect(await relay.runOnce()).toEqual({ claimed: 1, published: 1, failed: 0 });
      expect(await relay.runOnce()).toEqual({ claimed: 0, published: 0, failed: 0 });
      const [msg] = await readTopic(topic, 1);
      expect(JSON.parse(msg.value!.toString())).toEqual({ id: 'committed' });
      expect(msg.key!.toString()).toBe('p1');
      expect(msg.headers!.a!.toString()).toBe('b');
      expect(msg.headers!['x-request-id']!.toString()).toBe('req-1');
      expect(msg.headers!.traceparent!.toString()).toContain(traceId);
      expect(msg.headers!['x-message-id']!.toString()).toMatch(new RegExp(`^${table}:\\d+$`));
      expect(await topicRecordCount(topic)).toBe(1); // the rolled-back event never went out
      await relay.refreshMetrics();
      expect(await metricValue(registry, 'keel_outbox_pending', { table })).toBe(0);
      expect(await metricValue(registry, 'keel_outbox_oldest_age_seconds', { table })).toBe(0);
    });

    it('never stores nor publishes a full card number: value, key and headers are masked', async () => {
      const PAN = '4111111111111111';
      const topic = unique('outbox-card');
      await createTopics([topic]);
      const { outbox, relay } = await boot(false);
      await ds.transaction((em) =>
        outbox.add(em, {
          topic,
          key: `card-${PAN}`,
          value: { id: 'pay-9', card: { number: PAN, raw: 4111111111111111 }, note: `pan=${PAN}` },
          headers: { 'x-card': PAN },
        }),
      );
      const rows: unknown[] = await ds.query(`SELECT * FROM ${table}`);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(PAN);
      expect(await relay.runOnce()).toMatchObject({ published: 1 });
      const [msg] = await readTopic(topic, 1);
      const wire = [msg.key, msg.value, ...Object.values(msg.headers ?? {})]
        .map((b) => String(b))
        .join('\n');
      expect(wire).not.toContain(PAN);
      expect(JSON.parse(msg.value!.toString())).toMatchObject({ id: 'pay-9' });
    });

    it('a broker that does not take a batch: the app still commits, and the pass gives up at publishTimeoutMs', async () => {
      const topic = unique('outbox-slow');
      await createTopics([topic]);
      const relayApp = await boot({ batchSize: 10, pollIntervalMs: 20, publishTimeoutMs: 800 });
      await relayApp.relay.stop(); // passes run by hand below
      const producer = relayApp.app.get(KafkaProducer);
      const real = producer.sendRaw.bind(producer);
      let entered!: () => void;
      const publishing = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      producer.sendRaw = async (...args) => {
        entered();
        await gate; // the broker does not answer until released
        return real(...args);
      };
      for (let i = 0; i < 3; i++) {
        await ds.transaction((em) => relayApp.outbox.add(em, { topic, key: 'k', value: { i } }));
      }

      const pass = relayApp.relay.runOnce();
      await publishing;
      // while the pass holds its rows: the app's business transaction and outbox insert commit
      const started = performance.now();
      await ds.transaction(async (em) => {
        await insertBusinessRow(em, table, 'during-publish', 3);
        await relayApp.outbox.add(em, { topic, key: 'other', value: { i: 9 } });
      });
      const committedWithinMs = performance.now() - started;
      expect(await pass).toEqual({ claimed: 3, published: 0, failed: 3 });
      expect(committedWithinMs).toBeLessThan(800); // it did not wait for the pass
      expect(await count(ds, `SELECT COUNT(*) AS n FROM ${table} WHERE sent_at IS NULL`)).toBe(4);

      release();
      producer.sendRaw = real;
      expect(await relayApp.relay.runOnce()).toMatchObject({ published: 4, failed: 0 });
      expect(await count(ds, `SELECT COUNT(*) AS n FROM ${table} WHERE sent_at IS NULL`)).toBe(0);
    }, 20_000); // without the timeout the pass never ends: fail, not hang

    it('publishes 200 rows over 5 keys in order per key, each once, and marks all sent', async () => {
      const topic = unique('outbox-order');
      await createTopics([topic], 3);
      const writer = await boot(false);
      for (let i = 0; i < 200; i++) {
        const key = `k${i % 5}`;
        await ds.transaction((em) =>
          writer.outbox.add(em, {
            topic,
            key,
            value: { id: `e${i}`, key, seq: Math.floor(i / 5) },
          }),
        );
      }
      await boot({ batchSize: 32, pollIntervalMs: 20 });
      const got = decodeEvents(await readTopic(topic, 200));
      expectOrderedPerKey(got);
      expect(new Set(got.map((e) => e.id)).size).toBe(200);
      await sleep(500);
      expect(await topicRecordCount(topic)).toBe(200);
      expect(await count(ds, `SELECT COUNT(*) AS n FROM ${table} WHERE sent_at IS NULL`)).toBe(0);
    });

    it('two relays at once never publish a row twice and keep order per key', async () => {
      const topic = unique('outbox-two');
      await createTopics([topic], 3);
      const second = await openDataSource(dialect, table); // its own connection pool
      try {
        const a = await boot({ batchSize: 7, pollIntervalMs: 5 });
        await boot({ batchSize: 5, pollIntervalMs: 5 });
        apps.push(await bootOutboxApp(second, table, { batchSize: 9, pollIntervalMs: 5 }));
        // Rows keep arriving while three relays compete for them.
        for (let i = 0; i < 300; i++) {
          const key = `k${i % 6}`;
          await ds.transaction((em) =>
            a.outbox.add(em, { topic, key, value: { id: `e${i}`, key, seq: Math.floor(i / 6) } }),
          );
        }
        const got = decodeEvents(await readTopic(topic, 300, 60_000));
        expectOrderedPerKey(got);
        expect(new Set(got.map((e) => e.id)).size).toBe(300);
        await sleep(1_000);
        expect(await topicRecordCount(topic)).toBe(300); // nothing published twice
        expect(await count(ds, `SELECT COUNT(*) AS n FROM ${table} WHERE sent_at IS NULL`)).toBe(0);
      } finally {
        for (const x of apps.splice(0)) await x.app.close();
        await second.destroy();
      }
    });
  },
);
