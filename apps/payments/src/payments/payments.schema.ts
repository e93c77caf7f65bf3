import { createOutboxTable, outboxEntity } from '@keel/messaging/outbox';
import { DataSource } from 'typeorm';

export const PAYMENT_CAPTURED_TOPIC = 'payments.captured';

/**
 * Opens the payments database and creates its tables when missing (a sample app: real services
 * would run migrations). Fails the boot when MariaDB is not there, as a JDBC pool would.
 */
export async function openPaymentsDatabase(url: string): Promise<DataSource> {
  const ds = new DataSource({ type: 'mariadb', url, entities: [outboxEntity()], logging: false });
  await ds.initialize();
  try {
    await ds.query(`CREATE TABLE IF NOT EXISTS payments (
      id VARCHAR(64) PRIMARY KEY,
      amount_minor BIGINT NOT NULL,
      currency CHAR(3) NOT NULL,
      status VARCHAR(16) NOT NULL,
      captured_minor BIGINT NULL,
      fence_token BIGINT NOT NULL DEFAULT 0,
      updated_at BIGINT NOT NULL)`);
    // one row per captured event: event_id is the key, so a redelivery cannot book twice
    await ds.query(`CREATE TABLE IF NOT EXISTS ledger_entries (
      event_id VARCHAR(64) PRIMARY KEY,
      payment_id VARCHAR(64) NOT NULL,
      amount_minor BIGINT NOT NULL,
      currency CHAR(3) NOT NULL,
      trace_id CHAR(32) NULL,
      created_at BIGINT NOT NULL,
      INDEX idx_ledger_payment (payment_id))`);
    await createOutboxTable(ds);
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}
