import { isThenable } from './thenable';

describe('isThenable', () => {
  it('is true for promises and objects or functions with a then method', () => {
    const fnWithThen = Object.assign(() => undefined, { then: () => undefined });
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => undefined })).toBe(true);
    expect(isThenable(fnWithThen)).toBe(true);
  });

  it('is false for values that await would not wait for', () => {
    for (const v of [undefined, null, 0, 'then', { then: 1 }, () => undefined, []]) {
      expect(isThenable(v)).toBe(false);
    }
  });
});
