import type { DataSource } from 'typeorm';
import { resolveOutboxOptions } from './outbox.validation';

// A fake DataSource at the seam: validation only reads these members.
function fakeDataSource(over: Record<string, unknown> = {}): DataSource {
  return {
    transaction: () => undefined,
    getMetadata: () => undefined,
    hasMetadata: () => true,
    isInitialized: true,
    options: { type: 'mariadb' },
    ...over,
  } as unknown as DataSource;
}

describe('resolveOutboxOptions', () => {
  it('fills defaults', () => {
    const dataSource = fakeDataSource();
    expect(resolveOutboxOptions({ dataSource })).toEqual({
      dataSource,
      tableName: 'keel_outbox',
      relay: {
        pollIntervalMs: 250,
        batchSize: 200,
        retentionMs: 86_400_000,
        publishTimeoutMs: 10_000,
      },
    });
    expect(resolveOutboxOptions({ dataSource, relay: false }).relay).toBe(false);
  });

  it.each([
    [{ dataSource: undefined }, 'dataSource must be a TypeORM DataSource'],
    [{ dataSource: fakeDataSource({ options: { type: 'sqlite' } }) }, 'driver "sqlite"'],
    [{ dataSource: fakeDataSource({ isInitialized: false }) }, 'must be initialized'],
    [
      { dataSource: fakeDataSource({ hasMetadata: () => false }) },
      "add outboxEntity('keel_outbox')",
    ],
    [{ dataSource: fakeDataSource(), tableName: 'x; drop' }, 'tableName must be a SQL identifier'],
    [{ dataSource: fakeDataSource(), relay: { batchSize: 0 } }, 'relay.batchSize must be'],
    [{ dataSource: fakeDataSource(), relay: { pollIntervalMs: -1 } }, 'relay.pollIntervalMs'],
    [{ dataSource: fakeDataSource(), relay: 'yes' }, 'relay must be a boolean or an object'],
    [{ dataSource: fakeDataSource(), relay: { publishTimeoutMs: 0 } }, 'relay.publishTimeoutMs'],
    [
      { dataSource: fakeDataSource(), table: 'x' },
      'unknown option "table" (did you mean "tableName"?)',
    ],
    [
      { dataSource: fakeDataSource(), relay: { batch: 5 } },
      'unknown option "relay.batch" (did you mean "relay.batchSize"?)',
    ],
  ])('%# names the bad option', (options, message) => {
    expect(() => resolveOutboxOptions(options as never)).toThrow(`OutboxModule: `);
    expect(() => resolveOutboxOptions(options as never)).toThrow(message);
  });
});
