import { Redactor } from './redactor';
import { SensitiveKeys } from './sensitive-keys';

const CENSOR = '[Redacted]';
const make = (presets = true, extraKeys: string[] = [], cardNumbers = true): Redactor =>
  new Redactor({ keys: new SensitiveKeys({ presets, extraKeys }), cardNumbers, censor: CENSOR });

describe('Redactor', () => {
  it('censors secret keys at any depth and in any spelling', () => {
    const input = {
      user: { profile: { credentials: { password: 'hunter2' }, newPassword: 'x' } },
      auth: { accessToken: 'a', refresh_token: 'b', API_KEY: 'c', clientSecret: 'd' },
      headers: { Authorization: 'Bearer t', cookie: 'sid=1', 'set-cookie': ['a=b'] },
      payment: { pan: '4111111111111111', cvv: '123', expiryDate: '12/30', amount: 10 },
    };
    expect(make().object(input)).toEqual({
      user: { profile: { credentials: CENSOR, newPassword: CENSOR } },
      auth: { accessToken: CENSOR, refresh_token: CENSOR, API_KEY: CENSOR, clientSecret: CENSOR },
      headers: { Authorization: CENSOR, cookie: CENSOR, 'set-cookie': CENSOR },
      payment: { pan: CENSOR, cvv: CENSOR, expiryDate: CENSOR, amount: 10 },
    });
  });

  it('censors number, exp and code only inside a card object', () => {
    const out = make().object({
      card: { number: '4000000000000002', exp: '12/30', code: '737', brand: 'visa' },
      paymentCard: { number: 4111111111111111 },
      invoice: { number: 'INV-1', code: 'X' },
    });
    expect(out).toEqual({
      card: { number: CENSOR, exp: CENSOR, code: CENSOR, brand: 'visa' },
      paymentCard: { number: CENSOR },
      invoice: { number: 'INV-1', code: 'X' },
    });
  });

  it('masks card numbers in strings, arrays and long integers', () => {
    const out = make().object({
      note: 'card 4111 1111 1111 1111',
      list: ['x', 'pay 5555555555554444'],
      deep: { a: { b: { ref: 4111111111111111, createdAt: 1732612345675 } } },
    });
    expect(out).toEqual({
      note: 'card ************1111',
      list: ['x', 'pay ************4444'],
      deep: { a: { b: { ref: '************1111', createdAt: 1732612345675 } } },
    });
  });

  it('never changes the caller object and returns it as is when clean', () => {
    const clean = { a: 1, b: { c: 'text' }, d: [1, 2] };
    expect(make().object(clean)).toBe(clean);
    const dirty = { a: { password: 'p' }, b: { c: 1 } };
    const out = make().object(dirty);
    expect(dirty.a.password).toBe('p');
    expect(out.b).toBe(dirty.b);
  });

  it('walks class instances (DTOs) but not errors, dates or buffers', () => {
    class Dto {
      constructor(readonly cardNumber: string) {}
    }
    const date = new Date(0);
    const out = make().object({ dto: new Dto('4111111111111111'), date, buf: Buffer.from('x') });
    expect(out.dto).toEqual({ cardNumber: CENSOR });
    expect(out.date).toBe(date);
  });

  it('stops at the depth limit and survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(() => make().object(a)).not.toThrow();
  });

  it('adds user keys, and with presets off redacts only those', () => {
    const input = { password: 'p', taxId: 'DE123', nested: { TAX_ID: 'x' } };
    expect(make(false, ['taxId'], false).object(input)).toEqual({
      password: 'p',
      taxId: CENSOR,
      nested: { TAX_ID: CENSOR },
    });
  });

  it('keeps trace ids even when they happen to look like card numbers', () => {
    const out = make().object({ spanId: '4111111111111111', note: '4111111111111111' });
    expect(out).toEqual({ spanId: '4111111111111111', note: '************1111' });
  });
});
