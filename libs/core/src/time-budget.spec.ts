import { keelDeadlines } from './deadline-timer';
import { withinBudget } from './time-budget';

describe('withinBudget', () => {
  it('settles like the work when it answers in time', async () => {
    await expect(withinBudget(Promise.resolve(7), 1_000, () => new Error('late'))).resolves.toBe(7);
    const failed = Promise.reject(new TypeError('bad'));
    await expect(withinBudget(failed, 1_000, () => new Error('late'))).rejects.toThrow(TypeError);
  });

  it("rejects with the budget's error when the work does not answer in time", async () => {
    const started = Date.now();
    const never = new Promise<never>(() => undefined);
    await expect(withinBudget(never, 50, () => new RangeError('late'))).rejects.toThrow(RangeError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("maps the work's error through onError, and survives a throwing factory", async () => {
    const failed = Promise.reject(new TypeError('bad'));
    const mapped = withinBudget(
      failed,
      1_000,
      () => new Error('late'),
      (e) => new RangeError(String(e)),
    );
    await expect(mapped).rejects.toThrow(new RangeError('TypeError: bad'));
    const never = new Promise<never>(() => undefined);
    const thrown = withinBudget(never, 10, () => {
      throw new SyntaxError('factory');
    });
    await expect(thrown).rejects.toThrow(SyntaxError);
    // the shared timer still fires the next budget after a factory threw
    await expect(withinBudget(never, 10, () => new Error('next'))).rejects.toThrow('next');
  });

  it('sets no timer of its own: budgets share the deadline timer and leave it when settled', async () => {
    const timers = jest.spyOn(global, 'setTimeout');
    const before = keelDeadlines.size;
    const calls = Array.from({ length: 20 }, (_, i) =>
      withinBudget(Promise.resolve(i), 5_000, () => new Error('late')),
    );
    expect(keelDeadlines.size).toBe(before + 20);
    await Promise.all(calls);
    expect(keelDeadlines.size).toBe(before);
    expect(timers.mock.calls.length).toBeLessThanOrEqual(1); // at most the shared timer's arming
    timers.mockRestore();
  });
});
