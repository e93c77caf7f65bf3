import { withinBudget } from '@keel/core';

/** Runs `check` with a time budget; resolves its latency or rejects with a clear timeout. */
export async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await withinBudget(check(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
  return Math.round((performance.now() - started) * 10) / 10;
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
