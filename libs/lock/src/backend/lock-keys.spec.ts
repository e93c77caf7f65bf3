import { LockKeys } from './lock-keys';

describe('LockKeys.announcement', () => {
  const keys = new LockKeys('keel:lock:');

  it('reads the name and the next waiter of a release announcement', () => {
    expect(keys.announcement(`${keys.lock('pay:1')}\nw.42.7`)).toEqual({
      name: 'pay:1',
      next: 'w.42.7',
    });
    expect(keys.announcement(`${keys.lock('pay:1')}\n`)).toEqual({ name: 'pay:1', next: '' });
    expect(keys.announcement(`${keys.lock('pay:1')}\nw.42.7\n1234`)).toEqual({
      name: 'pay:1',
      next: 'w.42.7',
      fence: 1234,
    });
  });

  it('keeps braces inside a name and strips a client keyPrefix', () => {
    expect(keys.announcement(`svc:${keys.lock('order:{42}:refund')}\n`, 'svc:')).toEqual({
      name: 'order:{42}:refund',
      next: '',
    });
  });

  it('ignores what is not a lock key of this prefix', () => {
    expect(keys.announcement('other:{pay:1}\n')).toBeNull();
    expect(keys.announcement(`${keys.lock('pay:1')}\n`, 'svc:')).toBeNull();
    expect(keys.announcement('keel:lock:{pay:1')).toBeNull();
    expect(keys.announcement('keel:lock:\n')).toBeNull();
  });
});
