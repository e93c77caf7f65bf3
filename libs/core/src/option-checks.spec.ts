import { KeelConfigError } from './core.errors';
import { closestName, describeValue, numberHint, rejectUnknownOptions } from './option-checks';

describe('option checks', () => {
  it.each([
    ['30000', '"30000" (a string)'],
    [30000, '30000 (a number)'],
    [true, 'true (a boolean)'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1, 'a'], '[1, "a"] (an array)'],
    [[{}, {}], 'an array of 2'],
    [{}, 'an object'],
    [new Map(), 'a Map instance'],
  ])('describes %p as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('masks URL passwords and card numbers in shown values', () => {
    const shown = describeValue('redis://app:s3cret@10.0.0.1:6379 4111111111111111');
    expect(shown).not.toContain('s3cret');
    expect(shown).not.toContain('4111111111111111');
    expect(shown).toContain('redis://app:***@10.0.0.1:6379');
  });

  it('hints at Number(...) for a numeric string only', () => {
    expect(numberHint('leaseMs', '30000')).toContain('leaseMs: 30000');
    expect(numberHint('leaseMs', 'soon')).toBe('');
    expect(numberHint('leaseMs', 30000)).toBe('');
  });

  it.each([
    ['redisUrl', 'redis'],
    ['leasems', 'leaseMs'],
    ['keyPrefx', 'keyPrefix'],
    ['watchDog', 'watchdog'],
  ])('suggests %s -> %s', (typo, known) => {
    expect(closestName(typo, ['redis', 'nodes', 'keyPrefix', 'leaseMs', 'watchdog'])).toBe(known);
  });

  it('suggests nothing for a name far from every option', () => {
    expect(closestName('brokers', ['redis', 'leaseMs'])).toBeUndefined();
  });

  it('rejects unknown keys, naming each with a suggestion and the known options', () => {
    const run = () =>
      rejectUnknownOptions('LockModule', { redis: 'x', redisUrl: 'y', zzz: 1 }, [
        'redis',
        'leaseMs',
      ]);
    expect(run).toThrow(KeelConfigError);
    expect(run).toThrow(
      'LockModule: unknown option "redisUrl" (did you mean "redis"?); unknown option "zzz". ' +
        'Known options: redis, leaseMs.',
    );
    expect(() =>
      rejectUnknownOptions('LockModule', { pollMin: 1 }, ['pollMinMs'], 'retry.'),
    ).toThrow('unknown option "retry.pollMin" (did you mean "retry.pollMinMs"?)');
    expect(() => rejectUnknownOptions('LockModule', { redis: 'x' }, ['redis'])).not.toThrow();
  });
});
