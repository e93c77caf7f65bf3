/** Waits `ms`; resolves false early if `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `sleep` for a consumer's blocking retry: heartbeats every `sliceMs` while it waits, so a long
 * backoff does not outlast the session and get the member evicted (kafkajs heartbeats only when
 * asked, and sends at most one per heartbeatInterval itself).
 */
export async function sleepWithHeartbeat(
  ms: number,
  signal: AbortSignal,
  heartbeat: () => Promise<void>,
  sliceMs: number,
): Promise<boolean> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    if (!(await sleep(Math.min(left, sliceMs), signal))) return false;
    // a failed heartbeat (a rebalance under way) is the rebalance's business: it aborts `signal`
    await heartbeat().catch(() => undefined);
  }
  return !signal.aborted;
}
