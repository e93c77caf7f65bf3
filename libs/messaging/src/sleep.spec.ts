import { sleepWithHeartbeat } from './sleep';

describe('sleepWithHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('heartbeats every slice while it waits, and once more at the end', async () => {
    const beats: number[] = [];
    const start = Date.now();
    const heartbeat = () => {
      beats.push(Date.now() - start);
      return Promise.resolve();
    };
    const done = sleepWithHeartbeat(8_000, new AbortController().signal, heartbeat, 500);
    await jest.advanceTimersByTimeAsync(8_000);
    expect(await done).toBe(true);
    expect(beats).toHaveLength(16);
    expect(beats.every((t, i) => t === (i + 1) * 500)).toBe(true);
  });

  it('stops early on abort, and a failing heartbeat does not end the wait', async () => {
    const ac = new AbortController();
    let beats = 0;
    const heartbeat = () => {
      beats++;
      return Promise.reject(new Error('rebalance in progress'));
    };
    const done = sleepWithHeartbeat(10_000, ac.signal, heartbeat, 1_000);
    await jest.advanceTimersByTimeAsync(2_500);
    ac.abort();
    expect(await done).toBe(false);
    expect(beats).toBe(2);
  });
});
