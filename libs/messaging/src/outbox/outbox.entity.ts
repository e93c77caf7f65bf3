import type { DataSource, EntitySchema } from 'typeorm';
import { MissingPackageError } from '../messaging.errors';

type TypeOrm = typeof import('typeorm');

/** One outbox row. Ids are bigints, read back as strings by both drivers. */
export interface OutboxRecord {
  id: string;
  topic: string;
  key: string | null;
  /** The serialized value: UTF-8 text, or base64 when `encoding` is `base64`. */
  payload: string | null;
  encoding: 'utf8' | 'base64';
  /** JSON object of string headers (trace context included). */
  headers: string;
  /** Epoch ms. Numbers, not timestamps, so MariaDB/MySQL and PostgreSQL behave alike. */
  createdAt: string;
  sentAt: string | null;
}

export const DEFAULT_OUTBOX_TABLE = 'keel_outbox';

// Optional peer: a literal `require('typeorm')` so Nest's webpack build sees it.
function typeorm(): TypeOrm {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('typeorm') as TypeOrm;
  } catch {
    throw new MissingPackageError('typeorm', 'The outbox');
  }
}

const schemas = new Map<string, EntitySchema<OutboxRecord>>();

/**
 * The outbox table as a TypeORM entity: add it to your DataSource's `entities`
 * (`entities: [Payment, outboxEntity()]`). One instance per table name.
 */
export function outboxEntity(tableName: string = DEFAULT_OUTBOX_TABLE): EntitySchema<OutboxRecord> {
  let schema = schemas.get(tableName);
  if (schema) return schema;
  const { EntitySchema } = typeorm();
  schema = new EntitySchema<OutboxRecord>({
    name: `KeelOutbox:${tableName}`,
    tableName,
    columns: {
      id: { type: 'bigint', primary: true, generated: 'increment' },
      topic: { type: 'varchar', length: 249 },
      key: { name: 'message_key', type: 'varchar', length: 255, nullable: true },
      // `text` exists in both dialects; MySQL's holds 64 KB (alter to LONGTEXT for more).
      payload: { type: 'text', nullable: true },
      encoding: { type: 'varchar', length: 8, default: 'utf8' },
      headers: { type: 'text' },
      createdAt: { name: 'created_at', type: 'bigint' },
      sentAt: { name: 'sent_at', type: 'bigint', nullable: true },
    },
    // The relay scans pending rows in id order, and checks earlier pending rows of a key.
    indices: [
      { name: `IDX_${tableName}_pending`, columns: ['sentAt', 'id'] },
      { name: `IDX_${tableName}_key`, columns: ['topic', 'key', 'sentAt'] },
    ],
  });
  schemas.set(tableName, schema);
  return schema;
}

/**
 * Creates the outbox table and its indexes when missing, from the entity's own metadata (so the
 * DDL fits the DataSource's dialect). For apps that do not use `synchronize` or migrations.
 */
export async function createOutboxTable(
  dataSource: DataSource,
  tableName: string = DEFAULT_OUTBOX_TABLE,
): Promise<void> {
  const { Table } = typeorm();
  const metadata = dataSource.getMetadata(outboxEntity(tableName));
  const runner = dataSource.createQueryRunner();
  try {
    await runner.createTable(Table.create(metadata, dataSource.driver), true, false, true);
  } finally {
    await runner.release();
  }
}
