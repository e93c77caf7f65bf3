/**
 * `work`'s outcome, or a rejection with `onTimeout()` once `ms` have passed without one. The
 * timer is cleared either way, so nothing is left running.
 */
export function withinBudget<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
