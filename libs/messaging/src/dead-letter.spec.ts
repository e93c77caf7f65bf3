import type { KafkaMessage } from 'kafkajs';
import {
  DLT_HEADERS,
  errorName,
  failureHeaders,
  parseRetryTopic,
  retryTopicName,
} from './dead-letter';

const message = (headers: KafkaMessage['headers'] = {}): KafkaMessage =>
  ({
    key: Buffer.from('k'),
    value: Buffer.from('{}'),
    timestamp: '1700000000000',
    attributes: 0,
    offset: '42',
    size: 0,
    headers,
  }) as unknown as KafkaMessage;

describe('dead letters and retry topics', () => {
  it('names and parses retry topics', () => {
    expect(retryTopicName('payments', 2)).toBe('payments.retry.2');
    expect(parseRetryTopic('payments.retry.2')).toEqual({ topic: 'payments', level: 2 });
    expect(parseRetryTopic('payments')).toBeNull();
  });

  it('keeps original headers and adds why and where it failed', () => {
    const h = failureHeaders({
      topic: 'payments',
      partition: 3,
      message: message({ 'x-request-id': 'r' }),
      error: new RangeError('too big'),
      attempts: 2,
      dueAt: 123,
    });
    expect(h).toEqual({
      'x-request-id': 'r',
      [DLT_HEADERS.exceptionName]: 'RangeError',
      [DLT_HEADERS.exceptionMessage]: 'too big',
      [DLT_HEADERS.originalTopic]: 'payments',
      [DLT_HEADERS.originalPartition]: '3',
      [DLT_HEADERS.originalOffset]: '42',
      [DLT_HEADERS.originalTimestamp]: '1700000000000',
      [DLT_HEADERS.attempts]: '2',
      [DLT_HEADERS.dueAt]: '123',
    });
  });

  it('keeps the first topic as original when moving on from a retry topic', () => {
    const h = failureHeaders({
      topic: 'payments.retry.1',
      partition: 0,
      message: message({ [DLT_HEADERS.originalTopic]: 'payments', [DLT_HEADERS.dueAt]: '1' }),
      error: 'plain string',
      attempts: 3,
    });
    expect(h[DLT_HEADERS.originalTopic]).toBe('payments');
    expect(h[DLT_HEADERS.exceptionMessage]).toBe('plain string');
    expect(h[DLT_HEADERS.dueAt]).toBeUndefined();
  });

  it('masks card data quoted by the error before it goes into a header', () => {
    const h = failureHeaders({
      topic: 't',
      partition: 0,
      message: message({}),
      error: new Error(
        'bad payload {"pan":"4111111111111111","cvv":"737"} track %B4111111111111111^DOE/J',
      ),
      attempts: 1,
    });
    const text = String(h[DLT_HEADERS.exceptionMessage]);
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('737');
    expect(text).toContain('************1111');
  });

  it('names subclassed errors by their class', () => {
    class Declined extends Error {}
    expect(errorName(new Declined())).toBe('Declined');
    expect(errorName(new Error())).toBe('Error');
  });
});
