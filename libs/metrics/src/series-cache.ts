/**
 * Label children of one metric, created on first use and capped: past `max` label sets a
 * new one is refused (its observation dropped) and `onFull` is called once, so an unbounded
 * label value cannot grow the scrape without limit. Existing children keep working.
 */
export class SeriesCache<C> {
  private readonly children = new Map<string, C>();
  private warned = false;

  constructor(
    readonly metricName: string,
    private readonly max: number,
    private readonly onFull: (metricName: string, max: number) => void,
  ) {}

  get size(): number {
    return this.children.size;
  }

  /** The child for `key`, creating it with `create` while under the cap; else undefined. */
  get(key: string, create: () => C): C | undefined {
    const hit = this.children.get(key);
    if (hit !== undefined) return hit;
    if (this.children.size >= this.max) {
      if (!this.warned) {
        this.warned = true;
        this.onFull(this.metricName, this.max);
      }
      return undefined;
    }
    const child = create();
    this.children.set(key, child);
    return child;
  }
}
