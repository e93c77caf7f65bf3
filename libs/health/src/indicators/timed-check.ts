/** Runs `check` with a time budget; resolves its latency or rejects with a clear timeout. */
export async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return Math.round((performance.now() - started) * 10) / 10;
  } finally {
    clearTimeout(timer);
  }
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
