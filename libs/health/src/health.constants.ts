export const RESOLVED_HEALTH_OPTIONS = Symbol('keel.health.resolved-options');

export const DEFAULTS = {
  path: 'health',
  timeoutMs: 2_000,
  drainMs: 5_000,
  shutdownTimeoutMs: 10_000,
} as const;
