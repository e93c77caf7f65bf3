import { Cluster } from 'ioredis';
import { KeelConfigError } from '@keel/core';
import { LockArgumentError } from './lock.errors';
import { checkCallOptions, normaliseKeys, resolveLockOptions } from './lock.validation';

describe('resolveLockOptions', () => {
  it('fills defaults', () => {
    expect(resolveLockOptions({ redis: 'redis://x' })).toEqual({
      keyPrefix: 'keel:lock:',
      leaseMs: 30_000,
      waitMs: 10_000,
      pollMinMs: 5,
      pollMaxMs: 1_000,
      jitterMs: 5,
      driftFactor: 0.01,
      watchdog: true,
    });
  });

  it.each([
    [{}, /exactly one of `redis`/],
    [{ redis: 'r', nodes: ['a', 'b', 'c'] }, /exactly one of/],
    [{ nodes: ['a', 'b'] }, /at least 3/],
    [{ redis: 'r', leaseMs: 0 }, /leaseMs must be a finite number >= 1, got 0 \(a number\)/],
    [{ redis: 'r', leaseMs: Number.NaN }, /leaseMs/],
    [{ redis: 'r', waitMs: -1 }, /waitMs must be/],
    [{ redis: 'r', keyPrefix: 'a{b' }, /keyPrefix/],
    [
      { redis: 'r', retry: { pollMinMs: 50, pollMaxMs: 10 } },
      /pollMaxMs must be >= retry.pollMinMs/,
    ],
    [{ redis: 'r', driftFactor: 0.6 }, /driftFactor/],
    [{ redis: 'r', watchdog: 'yes' }, /watchdog must be a boolean/],
    [
      { redis: 'r', leaseMs: '30000' },
      /leaseMs must be a finite number >= 1, got "30000" \(a string\)\. Pass a number \(leaseMs: 30000\)/,
    ],
    [{ redisUrl: 'redis://x' }, /unknown option "redisUrl" \(did you mean "redis"\?\)/],
    [{ redis: 'r', leasems: 1 }, /unknown option "leasems" \(did you mean "leaseMs"\?\)/],
    [
      { redis: 'r', retry: { pollMin: 5 } },
      /unknown option "retry.pollMin" \(did you mean "retry.pollMinMs"\?\)/,
    ],
    [{ redis: 'r', retry: 5 }, /retry must be an object, got 5 \(a number\)/],
    [{ redis: 'r', waitForReplicas: 1 }, /waitForReplicas must be an object, got 1 \(a number\)/],
    [
      { redis: 'r', waitForReplicas: { replica: 1 } },
      /unknown option "waitForReplicas.replica" \(did you mean "waitForReplicas.replicas"\?\)/,
    ],
    [
      { redis: 'r', waitForReplicas: {} },
      /waitForReplicas.replicas must be an integer >= 1, got undefined/,
    ],
    [
      { redis: 'r', waitForReplicas: { replicas: 1.5 } },
      /waitForReplicas.replicas must be an integer >= 1, got 1.5 \(a number\)/,
    ],
    [
      { redis: 'r', waitForReplicas: { replicas: '1' } },
      /got "1" \(a string\)\. Pass a number \(replicas: 1\)/,
    ],
    [
      { redis: 'r', waitForReplicas: { replicas: 1, timeoutMs: 0 } },
      /waitForReplicas.timeoutMs must be an integer >= 1, got 0/,
    ],
    [
      { redis: 'r', leaseMs: 500, waitForReplicas: { replicas: 1, timeoutMs: 500 } },
      /waitForReplicas.timeoutMs must be below leaseMs \(500\), got 500/,
    ],
    [
      { nodes: ['a', 'b', 'c'], waitForReplicas: { replicas: 1 } },
      /waitForReplicas works with `redis` .* not with Redlock `nodes`/,
    ],
    [
      { redis: new Cluster([], { lazyConnect: true }), waitForReplicas: { replicas: 1 } },
      /waitForReplicas does not support a Redis Cluster client/,
    ],
  ])('rejects %p naming the option', (opts, message) => {
    expect(() => resolveLockOptions(opts as never)).toThrow(KeelConfigError);
    expect(() => resolveLockOptions(opts as never)).toThrow(message);
  });

  it('resolves waitForReplicas with its default timeout', () => {
    expect(resolveLockOptions({ redis: 'r', waitForReplicas: { replicas: 2 } })).toMatchObject({
      waitForReplicas: { replicas: 2, timeoutMs: 100 },
    });
    expect(resolveLockOptions({ redis: 'r' }).waitForReplicas).toBeUndefined();
  });
});

describe('checkCallOptions and normaliseKeys', () => {
  it('rejects leaseMs <= 0, negative waitMs and maxHoldMs 0', () => {
    expect(() => checkCallOptions({ leaseMs: 0 }, 'here')).toThrow(/here: leaseMs/);
    expect(() => checkCallOptions({ leaseMs: -1 }, 'here')).toThrow(LockArgumentError);
    expect(() => checkCallOptions({ waitMs: -1 }, 'here')).toThrow(/waitMs/);
    expect(() => checkCallOptions({ maxHoldMs: 0 }, 'here')).toThrow(/maxHoldMs/);
    expect(() => checkCallOptions({ leaseMs: 1, waitMs: 0 }, 'here')).not.toThrow();
  });

  it('sorts and de-duplicates several keys; rejects empty ones', () => {
    expect(normaliseKeys('a', 'w')).toEqual(['a']);
    expect(normaliseKeys(['c', 'a', 'b', 'a'], 'w')).toEqual(['a', 'b', 'c']);
    expect(() => normaliseKeys('', 'w')).toThrow(
      /w: a lock key must be a non-empty string, got ""/,
    );
    expect(() => normaliseKeys([], 'w')).toThrow(/no lock key/);
    expect(() => normaliseKeys(['a', ''], 'w')).toThrow(LockArgumentError);
  });
});
