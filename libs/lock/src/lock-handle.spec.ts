import type { LockBackend } from './backend/lock-backend';
import { monotonicMs } from '@keel/core/internal';
import { LeaseLostError, LockBackendError } from './lock.errors';
import { HandleInit, LockHandle } from './lock-handle';

// A fake backend at the seam: counts extensions and answers as told.
function fakeBackend(extend: () => Promise<boolean>): LockBackend & { extends: number } {
  const b = {
    extends: 0,
    acquire: jest.fn(),
    release: jest.fn().mockResolvedValue(1),
    extend: jest.fn(() => {
      b.extends++;
      return extend();
    }),
    leave: jest.fn(),
    onReleased: jest.fn(),
    start: jest.fn(),
    close: jest.fn(),
  };
  return b;
}

function handle(backend: LockBackend, over: Partial<HandleInit> = {}): LockHandle {
  return new LockHandle({
    names: ['k'],
    fences: [7],
    owner: 'o',
    leaseMs: 90,
    leaseStart: monotonicMs(),
    watchdog: true,
    metricName: 'm',
    backend,
    hooks: { onLost: jest.fn(), onReleased: jest.fn() },
    callTimeoutMs: 30,
    ...over,
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('LockHandle', () => {
  it('extends every lease/3 while held and stays held', async () => {
    const backend = fakeBackend(() => Promise.resolve(true));
    const h = handle(backend);
    await sleep(200);
    expect(backend.extends).toBeGreaterThanOrEqual(4);
    expect(h.isHeld).toBe(true);
    expect(await h.release()).toBe(true);
  });

  it('without watchdog, aborts its signal when the lease runs out', async () => {
    const h = handle(
      fakeBackend(() => Promise.resolve(true)),
      { watchdog: false, leaseMs: 40 },
    );
    await sleep(70);
    expect(h.signal.aborted).toBe(true);
    expect(h.signal.reason).toBeInstanceOf(LeaseLostError);
    expect((h.signal.reason as Error).message).toMatch(/lease ran out/);
  });

  it('is lost at once when an extension finds the lock taken', async () => {
    const hooks = { onLost: jest.fn(), onReleased: jest.fn() };
    const h = handle(
      fakeBackend(() => Promise.resolve(false)),
      { hooks },
    );
    await sleep(45);
    expect(h.signal.aborted).toBe(true);
    expect((h.signal.reason as Error).message).toMatch(/taken by another holder/);
    expect(hooks.onLost).toHaveBeenCalledTimes(1);
    expect(await h.release()).toBe(false);
  });

  it('keeps retrying a failing Redis and declares the lease lost only when it has ended', async () => {
    const backend = fakeBackend(() => Promise.reject(new LockBackendError('down')));
    const h = handle(backend);
    await sleep(60);
    expect(h.isHeld).toBe(true); // lease (90 ms) not over yet
    await sleep(80);
    expect(h.isHeld).toBe(false);
    expect(h.signal.reason).toBeInstanceOf(LeaseLostError);
    expect(backend.extends).toBeGreaterThanOrEqual(2);
  });

  it('extends by whole milliseconds up to maxHoldMs (Redis PEXPIRE takes integers only)', async () => {
    const backend = fakeBackend(() => Promise.resolve(true));
    const h = handle(backend, { maxHoldMs: 200 });
    await sleep(250);
    const extendMock = backend.extend as jest.Mock<Promise<boolean>, [string[], string, number]>;
    const sent = extendMock.mock.calls.map((c) => c[2]);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const ms of sent) expect(Number.isInteger(ms)).toBe(true);
    await h.release();
  });

  it('rejects extend(ms <= 0) without calling Redis', async () => {
    const backend = fakeBackend(() => Promise.resolve(true));
    const h = handle(backend, { watchdog: false });
    await expect(h.extend(0)).rejects.toThrow(/positive number/);
    expect(backend.extends).toBe(0);
    await h.release();
  });
});
