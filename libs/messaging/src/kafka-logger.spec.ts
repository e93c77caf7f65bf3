import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logger';

describe('kafkaLogCreator', () => {
  const lines: string[] = [];
  const keep = (level: string) => (message: unknown) =>
    void lines.push(`${level} ${String(message)}`);
  beforeEach(() => {
    lines.length = 0;
    Logger.overrideLogger({
      log: keep('log'),
      warn: keep('warn'),
      error: keep('error'),
      debug: keep('debug'),
    });
  });
  afterAll(() => {
    Logger.overrideLogger(false);
  });

  const log = kafkaLogCreator(logLevel.DEBUG);
  const entry = (level: logLevel, namespace: string, message: string) =>
    log({ level, namespace, label: 'ERROR', log: { message, timestamp: 't', logger: 'kafkajs' } });

  it('keeps errors kafkajs does not get past at error and warnings at warn', () => {
    entry(logLevel.ERROR, 'Producer', 'Failed to send messages');
    entry(logLevel.WARN, 'Cluster', 'Metadata out of date');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['error', 'warn']);
  });

  it("makes a consumer's crash and restart lines debug: Keel's consumers report those", () => {
    entry(
      logLevel.ERROR,
      'Consumer',
      "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests",
    );
    entry(logLevel.ERROR, 'Consumer', 'Restarting the consumer in 300ms');
    entry(logLevel.ERROR, 'Connection', 'Response JoinGroup(key: 11, version: 5)');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['debug', 'debug', 'debug']);
  });
});
