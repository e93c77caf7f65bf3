/**
 * Milliseconds on a monotonic clock, for every local duration: leases, wait budgets, call
 * budgets and the deadline timer. Date.now() follows the wall clock, which NTP or an operator
 * may step: back, and lease loss would be noticed late; forward, and leases would be lost early.
 */
export function monotonicMs(): number {
  return performance.now();
}
