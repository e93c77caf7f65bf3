import { monotonicMs } from './monotonic-clock';

/** Something to do at `at` (on monotonicMs()'s clock) unless removed first; it must not throw. */
export class Deadline {
  /** @internal list links; `linked` makes a second delete (or a delete after firing) a no-op */
  prev: Deadline | null = null;
  next: Deadline | null = null;
  linked = false;

  constructor(
    readonly at: number,
    readonly fire: () => void,
  ) {}
}

/**
 * Many deadlines on one Node timer, armed for the earliest. A lock cycle sets three (acquire and
 * release budgets, the watchdog) and nearly always removes them before they are due: a list
 * link and unlink per deadline instead of a timer each, which measured a visible share of a
 * cycle. (A Set measured slower still: a set that keeps growing to a few entries and emptying
 * again rehashes on both.)
 */
export class DeadlineTimer {
  private head: Deadline | null = null;
  private tail: Deadline | null = null;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  add(at: number, fire: () => void): Deadline {
    const d = new Deadline(at, fire);
    d.prev = this.tail;
    if (this.tail) this.tail.next = d;
    else this.head = d;
    this.tail = d;
    d.linked = true;
    this.count++;
    if (at < this.armedAt) this.arm(at);
    return d;
  }

  /** Removes a deadline; the timer stays armed and re-arms for what is left when it fires. */
  delete(d: Deadline | undefined): void {
    if (!d?.linked) return;
    if (d.prev) d.prev.next = d.next;
    else this.head = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.tail = d.prev;
    d.prev = d.next = null;
    d.linked = false;
    this.count--;
  }

  get size(): number {
    return this.count;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.run(), Math.max(0, at - monotonicMs()));
    // what waits on these (a Redis reply, a held lock) keeps the process alive by itself
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = monotonicMs();
    const due: Deadline[] = [];
    let next = Infinity;
    for (let d = this.head; d;) {
      const after = d.next;
      if (d.at <= now) {
        this.delete(d);
        due.push(d);
      } else if (d.at < next) next = d.at;
      d = after;
    }
    if (next < this.armedAt) this.arm(next);
    // fired last: a callback may add deadlines, which arm the timer themselves if earlier
    for (const d of due) d.fire();
  }
}

/** The process's one timer for Keel's call budgets (withinBudget, lock scripts) and watchdogs. */
export const keelDeadlines = new DeadlineTimer();
