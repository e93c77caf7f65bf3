/**
 * How long a queued waiter stays in the queue after its last request: a waiter whose process
 * died or stopped holds up the waiters behind it for this long. It is at most
 * min(lease, pollMaxMs), so a crashed holder's key is free at about its lease's end even when the
 * holder had waiters of its own queued (a floor of two shortest polls keeps tiny leases from
 * spinning). A waiter polls at least twice within it (see `longestPollMs`), so one late poll does
 * not drop it from the queue.
 */
export function waiterLiveMs(leaseMs: number, pollMinMs: number, pollMaxMs: number): number {
  return Math.ceil(Math.max(Math.min(leaseMs, pollMaxMs), 2 * pollMinMs));
}

/** The longest a waiter may sleep between two requests and stay queued. */
export function longestPollMs(liveMs: number): number {
  return liveMs / 2;
}
