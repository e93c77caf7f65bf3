/** Something to do at `at` (epoch ms) unless removed first. */
export interface Deadline {
  readonly at: number;
  readonly fire: () => void;
}

/**
 * Many deadlines on one Node timer, armed for the earliest. A lock cycle sets three (acquire and
 * release budgets, the watchdog) and nearly always removes them before they are due: a Set
 * add/delete per deadline instead of a timer each, which measured a visible share of a cycle.
 */
export class DeadlineTimer {
  private readonly pending = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  add(at: number, fire: () => void): Deadline {
    const d: Deadline = { at, fire };
    this.pending.add(d);
    if (at < this.armedAt) this.arm(at);
    return d;
  }

  /** Removes a deadline; the timer stays armed and re-arms for what is left when it fires. */
  delete(d: Deadline | undefined): void {
    if (d) this.pending.delete(d);
  }

  get size(): number {
    return this.pending.size;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.run(), Math.max(0, at - Date.now()));
    // what waits on these (a Redis reply, a held lock) keeps the process alive by itself
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    const due: Deadline[] = [];
    let next = Infinity;
    for (const d of this.pending) {
      if (d.at <= now) due.push(d);
      else if (d.at < next) next = d.at;
    }
    for (const d of due) this.pending.delete(d);
    if (next < this.armedAt) this.arm(next);
    // fired last: a callback may add deadlines, which arm the timer themselves if earlier
    for (const d of due) d.fire();
  }
}

/** The process's one timer for lock call budgets and watchdogs. */
export const lockDeadlines = new DeadlineTimer();
