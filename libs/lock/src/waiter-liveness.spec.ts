import { longestPollMs, waiterLiveMs } from './waiter-liveness';

describe('waiter liveness', () => {
  it('is at most min(lease, pollMaxMs): a dead waiter holds the queue up no longer than a lease', () => {
    expect(waiterLiveMs(300, 5, 1_000)).toBe(300);
    expect(waiterLiveMs(30_000, 5, 1_000)).toBe(1_000);
  });

  it('has a floor of two shortest polls, so a tiny lease does not make waiters spin', () => {
    expect(waiterLiveMs(3, 5, 1_000)).toBe(10);
  });

  it('lets a waiter poll twice within it', () => {
    expect(longestPollMs(waiterLiveMs(300, 5, 1_000))).toBe(150);
  });
});
