// Benchmark plumbing shared by every suite: measure ours and the baseline in the same run.
import { cpus } from 'node:os';

export interface BenchRow {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
  /**
   * ours / baseline, measured in the same run: where rounds alternate, the median of the
   * per-round ratios (steadier on a shared machine than the ratio of the two medians).
   */
  ratio: number;
  /** What the ratio should be, e.g. '>= 0.95'; reported, never asserted here. */
  goal?: string;
}

export interface BenchSuite {
  /** Runs the suite and returns its rows; set up and tear down its own resources. */
  run(): Promise<BenchRow[]>;
}

export interface BenchReport {
  suite: string;
  date: string;
  node: string;
  cpu: string;
  results: BenchRow[];
}

export function row(
  name: string,
  ours: number,
  baseline: number,
  unit: string,
  goal?: string,
): BenchRow {
  return { name, ours, baseline, unit, ratio: baseline === 0 ? NaN : ours / baseline, goal };
}

/** A row from alternating rounds: medians of each side, and the median per-round ratio. */
export function pairedRow(name: string, c: Compared, unit: string, goal?: string): BenchRow {
  return { name, ours: c.ours, baseline: c.baseline, unit, ratio: c.ratio, goal };
}

/** Operations per second of `fn` over `durationMs` after a warm-up, called in batches of `batch`. */
export async function opsPerSecond(
  fn: () => unknown,
  { durationMs = 1000, warmupMs = 200, batch = 1000 } = {},
): Promise<number> {
  const runFor = async (ms: number): Promise<number> => {
    let ops = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(ms) * 1_000_000n;
    let now = start;
    while (now < end) {
      for (let i = 0; i < batch; i++) {
        const r = fn();
        if (r instanceof Promise) await r;
      }
      ops += batch;
      now = process.hrtime.bigint();
    }
    return ops / (Number(now - start) / 1e9);
  };
  await runFor(warmupMs);
  return runFor(durationMs);
}

export interface Compared {
  ours: number;
  baseline: number;
  /** Median over rounds of ours / baseline of the same round. */
  ratio: number;
}

/**
 * Measures two candidates in alternating rounds (A B B A ...) so that drift of a shared machine
 * falls on both, and returns the median of each and the median of the per-round ratios.
 */
export async function compare(
  ours: () => Promise<number>,
  baseline: () => Promise<number>,
  rounds = 5,
): Promise<Compared> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      a.push(await ours());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      a.push(await ours());
    }
  }
  return paired(a, b);
}

/**
 * Ops/s of two sequential async operations measured in interleaved blocks: a round runs `pairs`
 * pairs of `block` calls of each side (alternating which goes first) and adds up each side's
 * time. Blocks of a few tens of ms put the drift of a shared machine (loopback latency moves
 * from one second to the next) on both sides alike; rounds of seconds did not.
 */
export async function interleaved(
  ours: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  { rounds = 9, pairs = 20, block = 200 } = {},
): Promise<Compared> {
  const run = async (fn: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < block; i++) await fn();
    return performance.now() - start;
  };
  await run(ours); // warm-up
  await run(baseline);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let tOurs = 0;
    let tBase = 0;
    for (let p = 0; p < pairs; p++) {
      if ((r + p) % 2 === 0) {
        tOurs += await run(ours);
        tBase += await run(baseline);
      } else {
        tBase += await run(baseline);
        tOurs += await run(ours);
      }
    }
    a.push((pairs * block * 1000) / tOurs);
    b.push((pairs * block * 1000) / tBase);
  }
  return paired(a, b);
}

/** Rates of both sides, round by round: the median of each and of the per-round ratios. */
export function paired(ours: number[], baseline: number[]): Compared {
  const ratios = ours.map((x, i) => x / baseline[i]);
  return { ours: median(ours), baseline: median(baseline), ratio: median(ratios) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function environment(): Pick<BenchReport, 'node' | 'cpu'> {
  const cpu = cpus();
  return { node: process.version, cpu: `${cpu[0]?.model ?? 'unknown'} x${cpu.length}` };
}

export function markdownTable(rows: BenchRow[]): string {
  const fmt = (n: number): string =>
    Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3)) : String(n);
  const lines = [
    '| benchmark | ours | baseline | unit | ratio | goal |',
    '| --- | ---: | ---: | --- | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.ours)} | ${fmt(r.baseline)} | ${r.unit} | ${r.ratio.toFixed(3)} | ${r.goal ?? ''} |`,
    ),
  ];
  return lines.join('\n');
}
