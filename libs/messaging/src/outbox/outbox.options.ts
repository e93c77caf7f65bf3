import type { DataSource } from 'typeorm';

export interface OutboxRelayOptions {
  /** Wait between polls when the outbox is empty or blocked, ms. Default 250. */
  pollIntervalMs?: number;
  /** Rows claimed per poll. Default 200. */
  batchSize?: number;
  /** Sent rows are deleted after this long, ms. Default 24 h. */
  retentionMs?: number;
  /**
   * Longest a pass waits for Kafka to take its batch, ms; past it the pass rolls back (the rows
   * stay pending) so a slow broker never holds a transaction open. Default 10 000.
   */
  publishTimeoutMs?: number;
}

export interface OutboxModuleOptions {
  /** An initialized TypeORM DataSource (MariaDB/MySQL or PostgreSQL) that has `outboxEntity()`. */
  dataSource: DataSource;
  /** Must match `outboxEntity(tableName)`. Default `keel_outbox`. */
  tableName?: string;
  /** `false` to only write rows (another instance publishes). Default: a relay runs. */
  relay?: boolean | OutboxRelayOptions;
}

export interface ResolvedOutboxOptions {
  dataSource: DataSource;
  tableName: string;
  relay: Required<OutboxRelayOptions> | false;
}
