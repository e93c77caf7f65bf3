import { MessageValidationError } from './messaging.errors';
import { RetryPolicy } from './retry-policy';

class Transient extends Error {}
class Fatal extends Error {}
class SubTransient extends Transient {}

describe('RetryPolicy', () => {
  it('grows delays exponentially up to the cap', () => {
    const p = new RetryPolicy({ backoff: { initialMs: 100, multiplier: 3, maxMs: 1_000 } });
    expect([1, 2, 3, 4].map((a) => p.baseDelayMs(a))).toEqual([100, 300, 900, 1_000]);
  });

  it('spreads delays by ±jitter', () => {
    const p = new RetryPolicy({ backoff: { initialMs: 1_000, jitter: 0.2 } });
    expect(p.delayMs(1, () => 0)).toBe(800);
    expect(p.delayMs(1, () => 0.5)).toBe(1_000);
    expect(p.delayMs(1, () => 1)).toBe(1_200);
    expect(new RetryPolicy({ backoff: { jitter: 0 } }).delayMs(2, Math.random)).toBe(400);
  });

  it('knows its longest single wait: the last delay the attempts reach, jitter up', () => {
    expect(new RetryPolicy({ attempts: 1 }).longestDelayMs()).toBe(0);
    expect(new RetryPolicy({ attempts: 3 }).longestDelayMs()).toBe(480); // 400 ms + 20%
    expect(new RetryPolicy({ attempts: 40 }).longestDelayMs()).toBe(24_000); // cap 20 s + 20%
    const p = new RetryPolicy({ backoff: { jitter: 0.5 } });
    expect(p.maxMsUnder(30_000)).toBe(19_999);
  });

  it('caps attempts (total, including the first)', () => {
    const p = new RetryPolicy({ attempts: 3 });
    expect(p.shouldRetry(new Error('x'), 1)).toBe(true);
    expect(p.shouldRetry(new Error('x'), 2)).toBe(true);
    expect(p.shouldRetry(new Error('x'), 3)).toBe(false);
  });

  it('classifies errors: retryOn, noRetryOn, and never validation errors', () => {
    const p = new RetryPolicy({ attempts: 5, retryOn: [Transient], noRetryOn: [SubTransient] });
    expect(p.isRetryable(new Transient())).toBe(true);
    expect(p.isRetryable(new SubTransient())).toBe(false);
    expect(p.isRetryable(new Fatal())).toBe(false);
    const all = new RetryPolicy({ noRetryOn: [Fatal] });
    expect(all.isRetryable(new Error('x'))).toBe(true);
    expect(all.isRetryable('a string')).toBe(true);
    expect(all.isRetryable(new Fatal())).toBe(false);
    expect(all.isRetryable(new MessageValidationError('bad'))).toBe(false);
  });

  it('takes module defaults and lets listener options win', () => {
    const p = new RetryPolicy(
      { backoff: { initialMs: 10 } },
      { attempts: 7, nonBlocking: true, backoff: { initialMs: 99, multiplier: 10 } },
    );
    expect(p.attempts).toBe(7);
    expect(p.nonBlocking).toBe(true);
    expect(p.baseDelayMs(2)).toBe(100);
  });
});
