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
});
