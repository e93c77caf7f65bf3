import { KeelConfigError } from '@keel/core';

export interface PaymentsConfig {
  port: number;
  redisUrl: string;
  kafkaBrokers: string[];
  mariadbUrl: string;
  /** Per-dependency budget of one health check. */
  healthTimeoutMs: number;
  /** After SIGTERM, how long readiness answers 503 before HTTP stops (load balancers catch up). */
  drainMs: number;
  /** Human-readable logs (development only; JSON otherwise). */
  prettyLogs: boolean;
}

export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new KeelConfigError(`${name} must be an integer >= ${min}, got '${raw}'`);
  }
  return value;
}

const positiveInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number =>
  intFromEnv(env, name, fallback, 1);
const nonNegativeInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number =>
  intFromEnv(env, name, fallback, 0);

/** Reads the app's settings from the environment; a bad value fails the boot naming the variable. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0)
    throw new KeelConfigError('KAFKA_BROKERS must list at least one host:port');
  return {
    port: positiveInt(env, 'PORT', 3000),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    kafkaBrokers: brokers,
    mariadbUrl: env.MARIADB_URL || 'mysql://root@127.0.0.1:3306/keel',
    healthTimeoutMs: positiveInt(env, 'HEALTH_TIMEOUT_MS', 2000),
    drainMs: nonNegativeInt(env, 'SHUTDOWN_DRAIN_MS', 5000),
    prettyLogs: env.LOG_PRETTY === 'true',
  };
}
