import { Counter, Histogram, register as globalRegistry, Registry } from 'prom-client';

export type AcquireResult = 'acquired' | 'busy' | 'timeout' | 'error';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Children {
  wait: ReturnType<Histogram<'name'>['labels']>;
  held: ReturnType<Histogram<'name'>['labels']>;
  result: Record<AcquireResult, ReturnType<Counter<'name' | 'result'>['labels']>>;
  lost: ReturnType<Counter<'name'>['labels']>;
}

// Several apps in one process (tests) share a registry: reuse a metric that is already there.
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** keel_lock_* metrics in a prom-client registry; label children cached per lock name. */
export class LockMetrics {
  private readonly wait: Histogram<'name'>;
  private readonly held: Histogram<'name'>;
  private readonly acquire: Counter<'name' | 'result'>;
  private readonly lost: Counter<'name'>;
  private readonly children = new Map<string, Children>();

  constructor(registry: Registry = globalRegistry) {
    const registers = [registry];
    this.wait = metric(
      registry,
      'keel_lock_wait_seconds',
      () =>
        new Histogram({
          name: 'keel_lock_wait_seconds',
          help: 'Time from asking for a lock to getting it (or giving up).',
          labelNames: ['name'],
          buckets: BUCKETS,
          registers,
        }),
    );
    this.held = metric(
      registry,
      'keel_lock_held_seconds',
      () =>
        new Histogram({
          name: 'keel_lock_held_seconds',
          help: 'Time a lock was held, from grant to release.',
          labelNames: ['name'],
          buckets: BUCKETS,
          registers,
        }),
    );
    this.acquire = metric(
      registry,
      'keel_lock_acquire_total',
      () =>
        new Counter({
          name: 'keel_lock_acquire_total',
          help: 'Lock acquisitions by result: acquired, busy (try/skip), timeout (waited), error (Redis).',
          labelNames: ['name', 'result'],
          registers,
        }),
    );
    this.lost = metric(
      registry,
      'keel_lock_lease_lost_total',
      () =>
        new Counter({
          name: 'keel_lock_lease_lost_total',
          help: 'Leases lost while the holder still ran.',
          labelNames: ['name'],
          registers,
        }),
    );
  }

  observeAcquire(name: string, result: AcquireResult, waitedMs: number): void {
    const c = this.for(name);
    c.result[result].inc();
    c.wait.observe(waitedMs / 1000);
  }

  observeHeld(name: string, heldMs: number): void {
    this.for(name).held.observe(heldMs / 1000);
  }

  leaseLost(name: string): void {
    this.for(name).lost.inc();
  }

  private for(name: string): Children {
    let c = this.children.get(name);
    if (!c) {
      c = {
        wait: this.wait.labels(name),
        held: this.held.labels(name),
        result: {
          acquired: this.acquire.labels(name, 'acquired'),
          busy: this.acquire.labels(name, 'busy'),
          timeout: this.acquire.labels(name, 'timeout'),
          error: this.acquire.labels(name, 'error'),
        },
        lost: this.lost.labels(name),
      };
      this.children.set(name, c);
    }
    return c;
  }
}
