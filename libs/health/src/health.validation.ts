import { KeelConfigError } from '@keel/core';
import { describeValue, numberHint, rejectUnknownOptions } from '@keel/core/internal';
import { DEFAULTS } from './health.constants';
import type {
  HealthModuleOptions,
  KafkaHealthTarget,
  ResolvedHealthOptions,
} from './health.options';

// Records, so the compiler fails when an option is added to a type but not here.
const MODULE_KEYS = Object.keys({
  path: 0,
  timeoutMs: 0,
  redis: 0,
  kafka: 0,
  typeorm: 0,
  indicators: 0,
  drainMs: 0,
  shutdownTimeoutMs: 0,
} satisfies Record<keyof HealthModuleOptions, 0>);
const KAFKA_KEYS = Object.keys({ brokers: 0, clientId: 0 } satisfies Record<
  keyof KafkaHealthTarget,
  0
>);

function ms(value: number | undefined, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new KeelConfigError(
      `HealthModule: ${name} must be a finite number >= ${min}, got ${describeValue(value)}.` +
        numberHint(name, value),
    );
  }
  return value;
}

/** Validates options at start-up; a bad one fails the boot naming the option. */
export function resolveHealthOptions(options: HealthModuleOptions): ResolvedHealthOptions {
  if (options === null || typeof options !== 'object') {
    throw new KeelConfigError(
      `HealthModule: options must be an object, got ${describeValue(options)}`,
    );
  }
  rejectUnknownOptions('HealthModule', options, MODULE_KEYS);
  const path = (options.path ?? DEFAULTS.path).replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9_\-/]+$/.test(path)) {
    throw new KeelConfigError(
      `HealthModule: path must be a URL path like "health", got ${describeValue(options.path)}`,
    );
  }
  if (options.kafka !== undefined) {
    if (options.kafka !== null && typeof options.kafka === 'object') {
      rejectUnknownOptions('HealthModule', options.kafka, KAFKA_KEYS, 'kafka.');
    }
    const b = options.kafka?.brokers;
    if (
      !Array.isArray(b) ||
      b.length === 0 ||
      b.some((x) => typeof x !== 'string' || !x.includes(':'))
    ) {
      throw new KeelConfigError(
        `HealthModule: kafka.brokers must list host:port strings, got ${describeValue(b)}`,
      );
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
