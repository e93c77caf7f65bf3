import { Registry } from 'prom-client';
import type { LockBackend } from './backend/lock-backend';
import { LeaseLostError, LockBackendError, LockNotAcquiredError } from './lock.errors';
import { LockHandle } from './lock-handle';
import { LockMetrics } from './lock.metrics';
import { LockService } from './lock.service';
import { resolveLockOptions } from './lock.validation';

// Leases, wait budgets and call timeouts are local durations: the wall clock (Date.now) being
// stepped by NTP or an operator must not move them. Date.now is stubbed to jump; real timers run.
// The forward step runs first: the old code, after a step back, left the process's one deadline
// timer armed 10 s out, which would hide what a later test checks.
const realNow = Date.now.bind(Date);
let offset = 0;
const stepWallClock = (ms: number): void => void (offset += ms);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  offset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
});
afterEach(() => jest.restoreAllMocks());

function backend(extend: () => Promise<boolean>): jest.Mocked<Required<LockBackend>> {
  return {
    acquireFree: jest.fn(() => Promise.resolve(0)),
    acquire: jest.fn(() => Promise.resolve({ granted: false, retryInMs: 10_000, fenceNow: 1 })),
    release: jest.fn(() => Promise.resolve(1)),
    extend: jest.fn(extend),
    leave: jest.fn(() => Promise.resolve()),
    onReleased: jest.fn(),
    start: jest.fn(() => Promise.resolve()),
    close: jest.fn(() => Promise.resolve()),
  } as unknown as jest.Mocked<Required<LockBackend>>;
}

function handle(b: LockBackend, watchdog: boolean, leaseMs: number): LockHandle {
  return new LockHandle({
    names: ['k'],
    fences: [1],
    owner: 'o',
    leaseMs,
    leaseStart: performance.now(),
    watchdog,
    metricName: 'm',
    backend: b,
    hooks: { onLost: jest.fn(), onReleased: jest.fn() },
    callTimeoutMs: 30,
  });
}

// Margins are wide (the old code was 10 s late): timers may run late on a loaded machine.
describe('a wall clock stepped back or forward', () => {
  it('stepped forward 10 s: a lease the watchdog keeps extending is not lost', async () => {
    const h = handle(
      backend(() => Promise.resolve(true)),
      true,
      300,
    );
    await sleep(20);
    stepWallClock(10_000);
    await sleep(400); // 4 extensions
    expect(h.isHeld).toBe(true);
    expect(await h.release()).toBe(true);
  });

  it('stepped back 10 s: a lease that runs out is still detected on time', async () => {
    const h = handle(
      backend(() => Promise.resolve(true)),
      false,
      100,
    );
    stepWallClock(-10_000);
    await sleep(400);
    expect(h.signal.aborted).toBe(true);
    expect(h.signal.reason).toBeInstanceOf(LeaseLostError);
  });

  it('stepped back 10 s: an extension Redis cannot confirm loses the lease at its end', async () => {
    const h = handle(
      backend(() => Promise.reject(new LockBackendError('down'))),
      true,
      100,
    );
    await sleep(20);
    stepWallClock(-10_000);
    await sleep(500);
    expect(h.isHeld).toBe(false);
    expect(h.signal.reason).toBeInstanceOf(LeaseLostError);
  });

  it('stepped back 10 s: a waiter still gives up when its waitMs is over', async () => {
    const b = backend(() => Promise.resolve(true));
    const options = resolveLockOptions({ redis: 'redis://127.0.0.1:1' });
    const service = new LockService(b, options, new LockMetrics(new Registry()));
    const started = performance.now();
    const waiting = service.acquire('k', { waitMs: 100 });
    stepWallClock(-10_000);
    await expect(waiting).rejects.toBeInstanceOf(LockNotAcquiredError);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
