import { KeelConfigError } from '@keel/core';
import { describeValue, rejectUnknownOptions } from '@keel/core/internal';
import { checkNumber } from '../messaging.validation';
import { DEFAULT_PUBLISH_TIMEOUT_MS } from './outbox.constants';
import { DEFAULT_OUTBOX_TABLE, outboxEntity } from './outbox.entity';
import type {
  OutboxModuleOptions,
  OutboxRelayOptions,
  ResolvedOutboxOptions,
} from './outbox.options';

const fail = (m: string) => new KeelConfigError(`OutboxModule: ${m}`);

// SKIP LOCKED is what lets several relays claim rows without waiting on each other.
const DRIVERS = ['mysql', 'mariadb', 'postgres'];
const TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
// Records, so the compiler fails when an option is added to a type but not here.
const MODULE_KEYS = Object.keys({ dataSource: 0, tableName: 0, relay: 0 } satisfies Record<
  keyof OutboxModuleOptions,
  0
>);
const RELAY_KEYS = Object.keys({
  pollIntervalMs: 0,
  batchSize: 0,
  retentionMs: 0,
  publishTimeoutMs: 0,
} satisfies Record<keyof OutboxRelayOptions, 0>);

/** Validates module options at start-up; a bad one fails the boot naming the option. */
export function resolveOutboxOptions(options: OutboxModuleOptions): ResolvedOutboxOptions {
  if (options === null || typeof options !== 'object') {
    throw fail('options must be an object with a `dataSource`');
  }
  rejectUnknownOptions('OutboxModule', options, MODULE_KEYS);
  const ds = options.dataSource as Partial<OutboxModuleOptions['dataSource']> | undefined;
  if (!ds || typeof ds.transaction !== 'function' || typeof ds.getMetadata !== 'function') {
    throw fail('dataSource must be a TypeORM DataSource');
  }
  const type = String(ds.options?.type);
  if (!DRIVERS.includes(type)) {
    throw fail(`dataSource: driver "${type}" is not supported; use ${DRIVERS.join(', ')}`);
  }
  if (!ds.isInitialized) {
    throw fail('dataSource must be initialized (await dataSource.initialize() in useFactory)');
  }
  const tableName = options.tableName ?? DEFAULT_OUTBOX_TABLE;
  if (typeof tableName !== 'string' || !TABLE.test(tableName)) {
    throw fail(`tableName must be a SQL identifier, got ${describeValue(tableName)}`);
  }
  if (!options.dataSource.hasMetadata(outboxEntity(tableName))) {
    throw fail(`dataSource has no outbox entity: add outboxEntity('${tableName}') to its entities`);
  }
  const r = options.relay ?? true;
  if (typeof r !== 'boolean' && (r === null || typeof r !== 'object')) {
    throw fail(`relay must be a boolean or an object, got ${describeValue(r)}`);
  }
  const o = typeof r === 'object' ? r : {};
  rejectUnknownOptions('OutboxModule', o, RELAY_KEYS, 'relay.');
  const relay = {
    pollIntervalMs: checkNumber(o.pollIntervalMs, 'relay.pollIntervalMs', 1, fail) ?? 250,
    batchSize: checkNumber(o.batchSize, 'relay.batchSize', 1, fail, { integer: true }) ?? 200,
    retentionMs: checkNumber(o.retentionMs, 'relay.retentionMs', 0, fail) ?? 24 * 3600_000,
    publishTimeoutMs:
      checkNumber(o.publishTimeoutMs, 'relay.publishTimeoutMs', 1, fail) ??
      DEFAULT_PUBLISH_TIMEOUT_MS,
  };
  return { dataSource: options.dataSource, tableName, relay: r === false ? false : relay };
}
