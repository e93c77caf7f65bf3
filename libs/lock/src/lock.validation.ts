import { Cluster } from 'ioredis';
import { KeelConfigError } from '@keel/core';
import { describeValue, numberHint, rejectUnknownOptions } from '@keel/core/internal';
import { DEFAULTS } from './lock.constants';
import { LockArgumentError } from './lock.errors';
import type {
  LockCallOptions,
  LockModuleOptions,
  ReplicaAck,
  ResolvedLockOptions,
} from './lock.options';

type ErrorFactory = (message: string) => Error;

function check(
  value: number | undefined,
  name: string,
  min: number,
  fail: ErrorFactory,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const option = name.slice(name.lastIndexOf(' ') + 1);
    throw fail(
      `${name} must be a finite number >= ${min}, got ${describeValue(value)}.` +
        numberHint(option, value),
    );
  }
  return value;
}

const configError: ErrorFactory = (m) => new KeelConfigError(`LockModule: ${m}`);

// Records, so the compiler fails when an option is added to the type but not here.
const MODULE_KEYS = Object.keys({
  redis: 0,
  nodes: 0,
  keyPrefix: 0,
  leaseMs: 0,
  waitMs: 0,
  retry: 0,
  driftFactor: 0,
  watchdog: 0,
  waitForReplicas: 0,
  registry: 0,
} satisfies Record<keyof LockModuleOptions, 0>);
const RETRY_KEYS = Object.keys({
  pollMinMs: 0,
  pollMaxMs: 0,
  jitterMs: 0,
} satisfies Record<keyof NonNullable<LockModuleOptions['retry']>, 0>);
const REPLICA_KEYS = Object.keys({
  replicas: 0,
  timeoutMs: 0,
} satisfies Record<keyof NonNullable<LockModuleOptions['waitForReplicas']>, 0>);

/** Validates module options at start-up; a bad one fails the boot naming the option. */
export function resolveLockOptions(options: LockModuleOptions): ResolvedLockOptions {
  if (options === null || typeof options !== 'object') {
    throw configError('options must be an object with `redis` or `nodes`');
  }
  rejectUnknownOptions('LockModule', options, MODULE_KEYS);
  if (options.retry !== undefined) {
    if (options.retry === null || typeof options.retry !== 'object') {
      throw configError(`retry must be an object, got ${describeValue(options.retry)}`);
    }
    rejectUnknownOptions('LockModule', options.retry, RETRY_KEYS, 'retry.');
  }
  const hasRedis = options.redis !== undefined && options.redis !== null;
  const hasNodes = options.nodes !== undefined;
  if (hasRedis === hasNodes) {
    throw configError('give exactly one of `redis` (one server) or `nodes` (Redlock masters)');
  }
  if (hasNodes && (!Array.isArray(options.nodes) || options.nodes.length < 3)) {
    throw configError('`nodes` must list at least 3 independent Redis masters for Redlock');
  }
  const keyPrefix = options.keyPrefix ?? DEFAULTS.keyPrefix;
  if (typeof keyPrefix !== 'string' || /[{}\s]/.test(keyPrefix)) {
    throw configError('keyPrefix must be a string without braces or whitespace');
  }
  const leaseMs = check(options.leaseMs, 'leaseMs', 1, configError) ?? DEFAULTS.leaseMs;
  const waitMs = check(options.waitMs, 'waitMs', 0, configError) ?? DEFAULTS.waitMs;
  const pollMinMs =
    check(options.retry?.pollMinMs, 'retry.pollMinMs', 1, configError) ?? DEFAULTS.pollMinMs;
  const pollMaxMs =
    check(options.retry?.pollMaxMs, 'retry.pollMaxMs', 1, configError) ?? DEFAULTS.pollMaxMs;
  if (pollMaxMs < pollMinMs) throw configError('retry.pollMaxMs must be >= retry.pollMinMs');
  const jitterMs =
    check(options.retry?.jitterMs, 'retry.jitterMs', 0, configError) ?? DEFAULTS.jitterMs;
  const driftFactor =
    check(options.driftFactor, 'driftFactor', 0, configError) ?? DEFAULTS.driftFactor;
  if (driftFactor >= 0.5) throw configError('driftFactor must be below 0.5');
  if (options.watchdog !== undefined && typeof options.watchdog !== 'boolean') {
    throw configError('watchdog must be a boolean');
  }
  return {
    keyPrefix,
    leaseMs,
    waitMs,
    pollMinMs,
    pollMaxMs,
    jitterMs,
    driftFactor,
    watchdog: options.watchdog ?? DEFAULTS.watchdog,
    waitForReplicas: resolveReplicaAck(options, leaseMs),
  };
}

function resolveReplicaAck(options: LockModuleOptions, leaseMs: number): ReplicaAck | undefined {
  const given = options.waitForReplicas;
  if (given === undefined) return undefined;
  if (given === null || typeof given !== 'object') {
    throw configError(
      `waitForReplicas must be an object, got ${describeValue(given)}: ` +
        'waitForReplicas: { replicas: 1, timeoutMs: 100 }',
    );
  }
  rejectUnknownOptions('LockModule', given, REPLICA_KEYS, 'waitForReplicas.');
  if (options.nodes !== undefined) {
    throw configError(
      'waitForReplicas works with `redis` (a primary and its replicas), not with Redlock `nodes`, ' +
        'whose quorum of independent masters already outlives one lost node: remove it, and ' +
        'run the nodes with AOF if tokens must survive restarts',
    );
  }
  if (options.redis instanceof Cluster) {
    throw configError(
      'waitForReplicas does not support a Redis Cluster client (WAIT must reach the master of ' +
        "each key's slot on the connection that wrote it): remove it, or pass one primary as `redis`",
    );
  }
  const replicas = checkInteger(given.replicas, 'waitForReplicas.replicas');
  const timeoutMs =
    given.timeoutMs === undefined
      ? DEFAULTS.replicaTimeoutMs
      : checkInteger(given.timeoutMs, 'waitForReplicas.timeoutMs');
  if (timeoutMs >= leaseMs) {
    throw configError(
      `waitForReplicas.timeoutMs must be below leaseMs (${leaseMs}), got ${timeoutMs}: the wait ` +
        'is taken out of the lease; tens of ms are typical on one network',
    );
  }
  return { replicas, timeoutMs };
}

/** WAIT takes whole numbers; 0 would mean "block forever" for its timeout. */
function checkInteger(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw configError(
      `${option} must be an integer >= 1, got ${describeValue(value)}.` +
        numberHint(option.slice(option.indexOf('.') + 1), value),
    );
  }
  return value;
}

const argError: ErrorFactory = (m) => new LockArgumentError(m);

/** Validates per-call options; throws LockArgumentError naming the option. */
export function checkCallOptions(opts: LockCallOptions | undefined, where: string): void {
  if (!opts) return;
  check(opts.leaseMs, `${where}: leaseMs`, 1, argError);
  check(opts.waitMs, `${where}: waitMs`, 0, argError);
  check(opts.maxHoldMs, `${where}: maxHoldMs`, 1, argError);
}

/** Normalises one key or several into sorted unique names; rejects empty ones. */
export function normaliseKeys(keys: string | readonly string[], where: string): string[] {
  const list = typeof keys === 'string' ? [keys] : [...keys];
  if (list.length === 0) throw new LockArgumentError(`${where}: no lock key given`);
  for (const k of list) {
    if (typeof k !== 'string' || k.length === 0) {
      throw new LockArgumentError(
        `${where}: a lock key must be a non-empty string, got ${JSON.stringify(k)}`,
      );
    }
  }
  if (list.length === 1) return list;
  // sorted so that two callers taking the same set never deadlock on each other
  return [...new Set(list)].sort();
}
