import { HttpException, NotFoundException } from '@nestjs/common';
import { exceptionName, httpOutcome } from './outcome';

describe('httpOutcome', () => {
  it.each([
    [101, 'INFORMATIONAL'],
    [200, 'SUCCESS'],
    [204, 'SUCCESS'],
    [302, 'REDIRECTION'],
    [404, 'CLIENT_ERROR'],
    [499, 'CLIENT_ERROR'],
    [500, 'SERVER_ERROR'],
    [503, 'SERVER_ERROR'],
    [0, 'UNKNOWN'],
    [600, 'UNKNOWN'],
  ])('%i is %s', (status, outcome) => expect(httpOutcome(status)).toBe(outcome));
});

describe('exceptionName', () => {
  class PaymentDeclinedError extends Error {}

  it('names errors by class, never by message', () => {
    expect(exceptionName(new PaymentDeclinedError('card 4242 declined'))).toBe(
      'PaymentDeclinedError',
    );
    expect(exceptionName(new NotFoundException())).toBe('NotFoundException');
    expect(exceptionName(new HttpException('x', 418))).toBe('HttpException');
    expect(exceptionName(new TypeError('x'))).toBe('TypeError');
  });

  it('names thrown non-errors by type', () => {
    expect(exceptionName('oops')).toBe('string');
    expect(exceptionName(42)).toBe('number');
    expect(exceptionName(undefined)).toBe('undefined');
    expect(exceptionName(null)).toBe('null');
    expect(exceptionName({ code: 1 })).toBe('Object');
    expect(exceptionName(Object.create(null))).toBe('Object');
  });
});
