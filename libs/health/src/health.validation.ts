import { KeelConfigError } from '@keel/core';
import { DEFAULTS } from './health.constants';
import type { HealthModuleOptions, ResolvedHealthOptions } from './health.options';

function ms(value: number | undefined, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new KeelConfigError(
      `HealthModule: ${name} must be a finite number >= ${min}, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates options at start-up; a bad one fails the boot naming the option. */
export function resolveHealthOptions(options: HealthModuleOptions): ResolvedHealthOptions {
  if (options === null || typeof options !== 'object') {
    throw new KeelConfigError('HealthModule: options must be an object');
  }
  const path = (options.path ?? DEFAULTS.path).replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9_\-/]+$/.test(path)) {
    throw new KeelConfigError(
      `HealthModule: path must be a URL path like "health", got "${options.path}"`,
    );
  }
  if (options.kafka !== undefined) {
    const b = options.kafka?.brokers;
    if (
      !Array.isArray(b) ||
      b.length === 0 ||
      b.some((x) => typeof x !== 'string' || !x.includes(':'))
    ) {
      throw new KeelConfigError('HealthModule: kafka.brokers must list host:port strings');
    }
  }
  for (const [name, fn] of Object.entries(options.indicators ?? {})) {
    if (typeof fn !== 'function') {
      throw new KeelConfigError(
        `HealthModule: indicators.${name} must be a function returning a check result`,
      );
    }
  }
  return {
    path,
    timeoutMs: ms(options.timeoutMs, 'timeoutMs', 1, DEFAULTS.timeoutMs),
    drainMs: ms(options.drainMs, 'drainMs', 0, DEFAULTS.drainMs),
    shutdownTimeoutMs: ms(
      options.shutdownTimeoutMs,
      'shutdownTimeoutMs',
      0,
      DEFAULTS.shutdownTimeoutMs,
    ),
  };
}
