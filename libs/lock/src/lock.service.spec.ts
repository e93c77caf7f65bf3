import { Registry } from 'prom-client';
import type { AcquireOutcome, LockBackend } from './backend/lock-backend';
import { LeaseLostError, LockBackendError, LockNotAcquiredError } from './lock.errors';
import { LockMetrics } from './lock.metrics';
import { LockService } from './lock.service';
import { resolveLockOptions } from './lock.validation';

// The service's call path against a fake backend at the seam: the order of grant, method and
// release, and what the caller gets when one of them fails.
function setup(retry?: { pollMinMs: number; pollMaxMs: number }): {
  service: LockService;
  backend: jest.Mocked<Required<LockBackend>>;
  events: string[];
  releaseNow: () => void;
} {
  const events: string[] = [];
  let fence = 0;
  let releaseNow = (): void => undefined;
  const backend = {
    acquireFree: jest.fn(() => {
      events.push('acquire');
      return Promise.resolve(++fence);
    }),
    acquire: jest.fn(),
    release: jest.fn(() => {
      events.push('release sent');
      return new Promise<number>((resolve) => {
        releaseNow = () => {
          events.push('released');
          resolve(1);
        };
      });
    }),
    extend: jest.fn(() => Promise.resolve(true)),
    leave: jest.fn(() => Promise.resolve()),
    onReleased: jest.fn(),
    start: jest.fn(() => Promise.resolve()),
    close: jest.fn(() => Promise.resolve()),
  } as unknown as jest.Mocked<Required<LockBackend>>;
  const options = resolveLockOptions({ redis: 'redis://127.0.0.1:1', retry });
  const service = new LockService(backend, options, new LockMetrics(new Registry()));
  return { service, backend, events, releaseNow: () => releaseNow() };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('LockService call path', () => {
  it('releases after the method settles and resolves only once the release is done', async () => {
    const { service, events, releaseNow } = setup();
    let done = false;
    const call = service
      .runLocked(['k'], {}, 'wait', 'm', async (h) => {
        events.push(`run ${h.fencingToken}`);
        await tick();
        events.push('method done');
        return 'result';
      })
      .then((v) => {
        done = true;
        return v;
      });
    await tick();
    await tick();
    expect(events).toEqual(['acquire', 'run 1', 'method done', 'release sent']);
    expect(done).toBe(false);
    releaseNow();
    await expect(call).resolves.toBe('result');
    expect(events.at(-1)).toBe('released');
  });

  it('releases and rejects with what a synchronous method throws', async () => {
    const { service, events, releaseNow } = setup();
    const call = service.runLocked(['k'], {}, 'wait', 'm', () => {
      throw new TypeError('bad');
    });
    await tick();
    releaseNow();
    await expect(call).rejects.toThrow(TypeError);
    expect(events).toEqual(['acquire', 'release sent', 'released']);
  });

  it('keeps the result when the release fails (the lease ends on its own)', async () => {
    const { service, backend } = setup();
    backend.release.mockRejectedValueOnce(new LockBackendError('release: down'));
    await expect(service.runLocked(['k'], {}, 'wait', 'm', () => 42)).resolves.toBe(42);
  });

  it('on a lost lease aborts the signal at once but rejects only once the method has settled', async () => {
    const { service, backend } = setup();
    backend.extend.mockResolvedValue(false);
    let finish = (): void => undefined;
    let signal: AbortSignal | undefined;
    let settledAt = 0;
    const call = service
      .runLocked(['k'], { leaseMs: 60 }, 'wait', 'm', async (h) => {
        signal = h.signal;
        await new Promise<void>((r) => (finish = r)); // ignores the signal
        return h.fencingToken;
      })
      .finally(() => (settledAt = Date.now()));
    while (!signal?.aborted) await new Promise((r) => setTimeout(r, 10));
    expect(signal.reason).toBeInstanceOf(LeaseLostError);
    await new Promise((r) => setTimeout(r, 100));
    expect(settledAt).toBe(0); // the method still runs: no rejection yet
    const finishedAt = Date.now();
    finish();
    await expect(call).rejects.toBeInstanceOf(LeaseLostError);
    expect(settledAt).toBeGreaterThanOrEqual(finishedAt);
    expect(backend.release).not.toHaveBeenCalled();
  });

  it('runs a nested call on a held key without a second acquire (reentrant)', async () => {
    const { service, backend, releaseNow } = setup();
    const call = service.runLocked(['k'], {}, 'wait', 'm', () =>
      service.runLocked(['k'], {}, 'wait', 'm', (h) => h.fencingToken),
    );
    await tick();
    releaseNow();
    await expect(call).resolves.toBe(1);
    expect(backend.acquireFree).toHaveBeenCalledTimes(1);
  });

  it("onBusy 'skip' resolves undefined and 'throw' rejects when the lock is busy", async () => {
    const { service, backend } = setup();
    backend.acquireFree.mockResolvedValue(0);
    const fn = jest.fn();
    await expect(service.runLocked(['k'], {}, 'skip', 'm', fn)).resolves.toBeUndefined();
    await expect(service.runLocked(['k'], {}, 'throw', 'm', fn)).rejects.toBeInstanceOf(
      LockNotAcquiredError,
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('a try on a free key with waiters queued asks the fair path, which honours the queue', async () => {
    const { service, backend } = setup();
    backend.acquireFree.mockResolvedValue(-1);
    backend.acquire.mockResolvedValueOnce({ granted: false, retryInMs: -1 });
    await expect(service.tryAcquire('k')).resolves.toBeNull();
    expect(backend.acquire).toHaveBeenCalledWith(
      expect.objectContaining({ names: ['k'], waiter: '', honourQueue: true }),
    );
    // those waiters had died: the fair path grants
    backend.acquire.mockResolvedValueOnce({ granted: true, fences: [7] });
    const h = await service.tryAcquire('k');
    expect(h?.fencingToken).toBe(7);
    h?.onLost(undefined);
    void h?.releaseNow();
  });
});

describe('LockService: a lock handed over by a release', () => {
  function contended(retry?: { pollMinMs: number; pollMaxMs: number }) {
    const ctx = setup(retry);
    ctx.backend.acquireFree.mockResolvedValue(0);
    const announce = (next: string, fence?: number): void =>
      ctx.backend.onReleased.mock.calls[0][0]('k', next, fence);
    const waiterId = (): string => ctx.backend.acquire.mock.calls[0][0].owner;
    return { ...ctx, announce, waiterId };
  }

  it('takes a grant announced with a fence above the one its busy answer saw, no round trip', async () => {
    const { service, backend, announce, waiterId, releaseNow } = contended();
    backend.acquire.mockResolvedValue({ granted: false, retryInMs: 10_000, fenceNow: 5 });
    const call = service.runLocked(['k'], {}, 'wait', 'm', (h) => h.fencingToken);
    await tick();
    announce(waiterId(), 6);
    await tick();
    releaseNow();
    await expect(call).resolves.toBe(6);
    expect(backend.acquire).toHaveBeenCalledTimes(1);
  });

  it('ignores an announced grant no newer than its busy answer, and one for another waiter', async () => {
    const { service, backend, announce, waiterId, releaseNow } = contended();
    backend.acquire.mockResolvedValue({ granted: false, retryInMs: 10_000, fenceNow: 5 });
    let fence = 0;
    const call = service.runLocked(['k'], {}, 'wait', 'm', (h) => (fence = h.fencingToken));
    await tick();
    announce(waiterId(), 5);
    announce('someone-else', 7);
    await tick();
    expect(fence).toBe(0);
    announce(waiterId(), 8);
    await tick();
    releaseNow();
    await expect(call).resolves.toBe(8);
  });

  it('trusts no announced grant after a failed call until a request is answered busy again', async () => {
    const { service, backend, announce, waiterId, releaseNow } = contended({
      pollMinMs: 1,
      pollMaxMs: 50,
    });
    let answer: (v: AcquireOutcome) => void = () => undefined;
    backend.acquire
      .mockRejectedValueOnce(new LockBackendError('acquire: no answer within 1000 ms'))
      .mockImplementationOnce(() => new Promise((r) => (answer = r)));
    const call = service.runLocked(['k'], {}, 'wait', 'm', (h) => h.fencingToken);
    await tick();
    // the failed call's grant may have been undone by the release sent after it
    expect(backend.release).toHaveBeenCalledTimes(1);
    releaseNow();
    announce(waiterId(), 9);
    await new Promise((r) => setTimeout(r, 80));
    expect(backend.acquire).toHaveBeenCalledTimes(2);
    answer({ granted: true, fences: [10] });
    await tick();
    releaseNow();
    await expect(call).resolves.toBe(10);
  });

  it('gives back a lock handed over when no busy answer dates it', async () => {
    const { service, backend, releaseNow } = contended({ pollMinMs: 1, pollMaxMs: 20 });
    backend.acquire
      .mockResolvedValueOnce({ granted: true, fences: [4], handedOver: true })
      .mockResolvedValueOnce({ granted: true, fences: [5] });
    const call = service.runLocked(['k'], {}, 'wait', 'm', (h) => h.fencingToken);
    await tick();
    expect(backend.release).toHaveBeenCalledTimes(1);
    releaseNow();
    await new Promise((r) => setTimeout(r, 60));
    releaseNow();
    await expect(call).resolves.toBe(5);
  });
});
