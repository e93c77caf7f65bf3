import { KeelConfigError } from '@keel/core';
import { loadPaymentsConfig } from './payments.config';

describe('loadPaymentsConfig', () => {
  it('has defaults for the local stack', () => {
    expect(loadPaymentsConfig({})).toEqual({
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
      kafkaBrokers: ['127.0.0.1:9092'],
      mariadbUrl: 'mysql://root@127.0.0.1:3306/keel',
      healthTimeoutMs: 2000,
      drainMs: 5000,
      prettyLogs: false,
    });
  });

  it('splits KAFKA_BROKERS and names a bad variable', () => {
    expect(loadPaymentsConfig({ KAFKA_BROKERS: 'a:1, b:2' }).kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(() => loadPaymentsConfig({ PORT: 'abc' })).toThrow(KeelConfigError);
    expect(() => loadPaymentsConfig({ PORT: '0' })).toThrow(
      /PORT must be an integer >= 1, got '0'/,
    );
    expect(() => loadPaymentsConfig({ SHUTDOWN_DRAIN_MS: '-1' })).toThrow(/SHUTDOWN_DRAIN_MS/);
    expect(() => loadPaymentsConfig({ KAFKA_BROKERS: ' , ' })).toThrow(/KAFKA_BROKERS/);
  });
});
