/** A process's waiters, woken by the release announcements Redis publishes. */
export interface Waiter {
  readonly id: string;
  readonly names: readonly string[];
  /** The fence of a lock a release handed to this waiter outright (0: none yet). */
  grant: number;
  woken: boolean;
  wake: (() => void) | null;
}

export class WakeBoard {
  private readonly byName = new Map<string, Set<Waiter>>();

  add(id: string, names: readonly string[]): Waiter {
    const waiter: Waiter = { id, names, grant: 0, woken: false, wake: null };
    for (const name of names) {
      let set = this.byName.get(name);
      if (!set) this.byName.set(name, (set = new Set()));
      set.add(waiter);
    }
    return waiter;
  }

  /** Whether this process has waiters on `name`: then a first attempt is likely busy. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  remove(waiter: Waiter): void {
    for (const name of waiter.names) {
      const set = this.byName.get(name);
      if (!set) continue;
      set.delete(waiter);
      if (set.size === 0) this.byName.delete(name);
    }
  }

  /**
   * A lock was released: wake the queued waiter it names (handing it the lock when `fence` is
   * given), or every local waiter on it.
   */
  released(name: string, next: string, fence?: number): void {
    const set = this.byName.get(name);
    if (!set) return;
    for (const w of set) {
      if (next !== '' && w.id !== next) continue;
      if (fence !== undefined) w.grant = fence;
      this.signal(w);
    }
  }

  /** Resolves after `ms`, or earlier when the waiter is woken (at once if it already was). */
  sleep(waiter: Waiter, ms: number): Promise<void> {
    if (waiter.woken) {
      waiter.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        waiter.wake = null;
        waiter.woken = false;
        resolve();
      }
      waiter.wake = done;
    });
  }

  private signal(w: Waiter): void {
    if (w.wake) w.wake();
    else w.woken = true;
  }
}
