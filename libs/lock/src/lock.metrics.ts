import {
  FastCounter,
  FastCounterChild,
  FastHistogram,
  FastHistogramChild,
  registerFastMetric,
} from '@keel/core/internal';
import { register as globalRegistry, Registry } from 'prom-client';

export type AcquireResult = 'acquired' | 'busy' | 'timeout' | 'error';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Children {
  wait: FastHistogramChild;
  held: FastHistogramChild;
  result: Record<AcquireResult, FastCounterChild>;
  lost: FastCounterChild;
}

/** keel_lock_* metrics in a prom-client registry; label children cached per lock name. */
export class LockMetrics {
  private readonly wait: FastHistogram;
  private readonly held: FastHistogram;
  private readonly acquire: FastCounter;
  private readonly lost: FastCounter;
  private readonly children = new Map<string, Children>();

  constructor(registry: Registry = globalRegistry) {
    this.wait = registerFastMetric(
      registry,
      new FastHistogram(
        'keel_lock_wait_seconds',
        'Time from asking for a lock to getting it (or giving up).',
        ['name'],
        BUCKETS,
      ),
    );
    this.held = registerFastMetric(
      registry,
      new FastHistogram(
        'keel_lock_held_seconds',
        'Time a lock was held, from grant to release.',
        ['name'],
        BUCKETS,
      ),
    );
    this.acquire = registerFastMetric(
      registry,
      new FastCounter(
        'keel_lock_acquire_total',
        'Lock acquisitions by result: acquired, busy (try/skip), timeout (waited), error (Redis).',
        ['name', 'result'],
      ),
    );
    this.lost = registerFastMetric(
      registry,
      new FastCounter('keel_lock_lease_lost_total', 'Leases lost while the holder still ran.', [
        'name',
      ]),
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
