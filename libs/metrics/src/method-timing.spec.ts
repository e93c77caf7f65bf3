import { Observable, Subject, lastValueFrom, of, throwError } from 'rxjs';
import { instrument, type CallObserver } from './method-timing';

/** A clock the test moves by hand, and an observer that remembers what it heard. */
function harness() {
  let now = 1_000;
  const heard: Array<{ ok: boolean; seconds: number; error?: unknown }> = [];
  const observer: CallObserver = {
    success: (seconds) => heard.push({ ok: true, seconds }),
    failure: (error, seconds) => heard.push({ ok: false, seconds, error }),
  };
  return { heard, observer, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('instrument', () => {
  it('keeps a sync method sync and times it', () => {
    const h = harness();
    const fn = instrument((x) => (h.advance(250), (x as number) * 2), h.observer, h.clock);
    expect(fn(21)).toBe(42);
    expect(h.heard).toEqual([{ ok: true, seconds: 0.25 }]);
  });

  it('rethrows a sync error after recording it', () => {
    const h = harness();
    const boom = new RangeError('x');
    const fn = instrument(
      () => {
        h.advance(5);
        throw boom;
      },
      h.observer,
      h.clock,
    );
    expect(() => fn()).toThrow(boom);
    expect(h.heard).toEqual([{ ok: false, seconds: 0.005, error: boom }]);
  });

  it('times a promise until it settles', async () => {
    const h = harness();
    let resolve!: (v: string) => void;
    const fn = instrument(() => new Promise<string>((r) => (resolve = r)), h.observer, h.clock);
    const p = fn() as Promise<string>;
    expect(p).toBeInstanceOf(Promise);
    h.advance(1_500);
    expect(h.heard).toEqual([]);
    resolve('done');
    await expect(p).resolves.toBe('done');
    expect(h.heard).toEqual([{ ok: true, seconds: 1.5 }]);
  });

  it('records a rejection and passes it on', async () => {
    const h = harness();
    const err = new Error('declined');
    const fn = instrument(() => Promise.reject(err), h.observer, h.clock);
    await expect(fn()).rejects.toBe(err);
    expect(h.heard).toEqual([{ ok: false, seconds: 0, error: err }]);
  });

  it('times a thenable that is not a native promise', async () => {
    const h = harness();
    const thenable = { then: (ok: (v: number) => void) => ok(7) };
    const fn = instrument(() => thenable, h.observer, h.clock);
    await expect(fn()).resolves.toBe(7);
    expect(h.heard).toEqual([{ ok: true, seconds: 0 }]);
  });

  it('times an Observable per subscription, lazily, to completion', async () => {
    const h = harness();
    const source = new Subject<number>();
    const fn = instrument(() => source.asObservable(), h.observer, h.clock);
    const obs = fn() as Observable<number>;
    h.advance(10_000); // before subscribing: not timed
    const values: number[] = [];
    obs.subscribe((v) => values.push(v));
    h.advance(40);
    source.next(1);
    expect(h.heard).toEqual([]);
    source.complete();
    expect(values).toEqual([1]);
    expect(h.heard).toEqual([{ ok: true, seconds: 0.04 }]);

    const cold = instrument(() => of(1, 2), h.observer, h.clock)() as Observable<number>;
    await lastValueFrom(cold);
    await lastValueFrom(cold);
    expect(h.heard).toHaveLength(3);
  });

  it('records an Observable error and passes it on', async () => {
    const h = harness();
    const err = new TypeError('bad');
    const fn = instrument(() => throwError(() => err), h.observer, h.clock);
    await expect(lastValueFrom(fn() as Observable<never>)).rejects.toBe(err);
    expect(h.heard).toEqual([{ ok: false, seconds: 0, error: err }]);
  });

  it('passes arguments and `this` through', () => {
    const h = harness();
    const fn = instrument(
      function (this: unknown, ...args: unknown[]) {
        return [this, ...args];
      },
      h.observer,
      h.clock,
    );
    const self = {};
    expect(fn.call(self, 1, 2)).toEqual([self, 1, 2]);
  });
});
