import { DltReplayUsageError, parseDltReplayArgs } from './dlt-replay-args';

const parse = (...argv: string[]) => parseDltReplayArgs(argv, ['127.0.0.1:9092']);

describe('parseDltReplayArgs', () => {
  it('reads the topic, offsets, limit and brokers (both --flag value and --flag=value)', () => {
    expect(parse('pay.DLT')).toEqual({ dltTopic: 'pay.DLT', brokers: ['127.0.0.1:9092'] });
    expect(parse('--limit=3', 'pay.DLT', '--from-offset', '0', '--brokers', 'a:1,b:2')).toEqual({
      dltTopic: 'pay.DLT',
      limit: 3,
      fromOffset: 0,
      brokers: ['a:1', 'b:2'],
    });
  });

  it.each([
    [[], 'missing <dlt-topic>'],
    [['a', 'b'], 'exactly one DLT topic'],
    [['t', '--limit', '0'], '--limit needs an integer >= 1, got 0'],
    [['t', '--limit', 'x'], '--limit needs an integer >= 1, got x'],
    [['t', '--from-offset'], '--from-offset needs an integer >= 0, got nothing'],
    [['t', '--from-offset', '-1'], '--from-offset needs an integer >= 0'],
    [['t', '--brokers', 'nohost'], '--brokers needs host:port'],
    [['t', '--nope'], 'unknown option --nope'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(DltReplayUsageError);
    expect(() => parse(...argv)).toThrow(message);
    expect(() => parse(...argv)).toThrow('usage: npm run dlt:replay');
  });
});
