import { monotonicMs } from './monotonic-clock';
import { DeadlineTimer } from './deadline-timer';

describe('DeadlineTimer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('fires each deadline when due, in one pass for those due together', () => {
    const t = new DeadlineTimer();
    const fired: string[] = [];
    t.add(monotonicMs() + 100, () => fired.push('a'));
    t.add(monotonicMs() + 300, () => fired.push('c'));
    t.add(monotonicMs() + 100, () => fired.push('b'));
    jest.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'b']);
    jest.advanceTimersByTime(200);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(t.size).toBe(0);
  });

  it('never fires a deleted deadline, and re-arms for an earlier one added later', () => {
    const t = new DeadlineTimer();
    const fired: string[] = [];
    const late = t.add(monotonicMs() + 1_000, () => fired.push('late'));
    t.add(monotonicMs() + 50, () => fired.push('early'));
    jest.advanceTimersByTime(50);
    expect(fired).toEqual(['early']);
    t.delete(late);
    jest.advanceTimersByTime(5_000);
    expect(fired).toEqual(['early']);
  });

  it('lets a firing deadline add the next one (a watchdog rescheduling itself)', () => {
    const t = new DeadlineTimer();
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      if (ticks < 3) t.add(monotonicMs() + 10, tick);
    };
    t.add(monotonicMs() + 10, tick);
    jest.advanceTimersByTime(100);
    expect(ticks).toBe(3);
    expect(t.size).toBe(0);
  });

  it('unlinks from the head, the middle and the tail, and ignores a second delete', () => {
    const t = new DeadlineTimer();
    const fired: string[] = [];
    const ds = ['a', 'b', 'c', 'd', 'e'].map((n) => t.add(monotonicMs() + 10, () => fired.push(n)));
    t.delete(ds[0]);
    t.delete(ds[2]);
    t.delete(ds[4]);
    t.delete(ds[2]);
    expect(t.size).toBe(2);
    jest.advanceTimersByTime(10);
    expect(fired).toEqual(['b', 'd']);
    t.delete(ds[1]); // already fired
    expect(t.size).toBe(0);
  });
});
