import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTs } from '../../../../test/support/spawn-ts';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { logLevel, type KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { MessagingModule } from '@keel/messaging';
import {
  createOutboxTable,
  OutboxModule,
  OutboxRelay,
  OutboxService,
  outboxEntity,
  type OutboxRelayOptions,
} from '@keel/messaging/outbox';
import { stackEnv } from '../../../../test/support/stack-env';
import { BROKERS, unique } from './messaging-app';

export type Dialect = 'mariadb' | 'postgres';

const URLS: Record<Dialect, string> = {
  mariadb: stackEnv.mariadbUrl,
  postgres: stackEnv.postgresUrl,
};

/** A table name no earlier run used (SQL identifier). */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A DataSource on the real server with the outbox table (created) and a business table. */
export async function openDataSource(dialect: Dialect, table: string): Promise<DataSource> {
  const ds = new DataSource({
    type: dialect,
    url: URLS[dialect],
    entities: [outboxEntity(table)],
    logging: false,
  });
  await ds.initialize(); // fails loudly when the server is not there
  await createOutboxTable(ds, table);
  await ds.query(
    `CREATE TABLE IF NOT EXISTS ${table}_biz (id varchar(64) PRIMARY KEY, amount int)`,
  );
  return ds;
}

export async function dropTables(ds: DataSource, table: string): Promise<void> {
  await ds.query(`DROP TABLE IF EXISTS ${table}_biz`);
  await ds.query(`DROP TABLE IF EXISTS ${table}`);
  await ds.destroy();
}

/** The business write of the tests: one row in `<table>_biz`. */
export async function insertBusinessRow(
  em: EntityManager,
  table: string,
  id: string,
  amount: number,
): Promise<void> {
  await em
    .createQueryBuilder()
    .insert()
    .into(`${table}_biz`, ['id', 'amount'])
    .values({ id, amount })
    .execute();
}

export async function count(ds: DataSource, sql: string): Promise<number> {
  const rows: { n: string | number }[] = await ds.query(sql);
  return Number(rows[0].n);
}

export interface OutboxApp {
  app: INestApplication;
  outbox: OutboxService;
  relay: OutboxRelay;
  registry: Registry;
}

export async function bootOutboxApp(
  ds: DataSource,
  table: string,
  relay: boolean | OutboxRelayOptions,
): Promise<OutboxApp> {
  const registry = new Registry();
  const moduleRef = await Test.createTestingModule({
    imports: [
      MessagingModule.forRoot({
        brokers: BROKERS,
        clientId: unique('outbox'),
        registry,
        kafka: { logLevel: logLevel.NOTHING },
      }),
      OutboxModule.forRoot({ dataSource: ds, tableName: table, relay }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return { app, outbox: app.get(OutboxService), relay: app.get(OutboxRelay), registry };
}

/** Starts outbox-worker.ts in its own Node process. */
export function spawnOutboxWorker(args: string[]): ChildProcess {
  return spawnTs(join(__dirname, 'outbox-worker.ts'), args);
}

/** What the outbox tests publish: a business id, the key it is ordered by, its place in that order. */
export interface OutboxEvent {
  id: string;
  key: string;
  seq: number;
}

/** The JSON events in consumed records. */
export function decodeEvents(messages: KafkaMessage[]): OutboxEvent[] {
  return messages.map((m) => JSON.parse(m.value!.toString()) as OutboxEvent);
}

/** Checks each key's sequence numbers arrive strictly increasing. */
export function expectOrderedPerKey(events: OutboxEvent[]): void {
  const last = new Map<string, number>();
  for (const e of events) {
    const prev = last.get(e.key) ?? -1;
    if (e.seq <= prev) throw new Error(`key ${e.key}: seq ${e.seq} arrived after ${prev}`);
    last.set(e.key, e.seq);
  }
}
