import { KeelConfigError } from '@keel/core';
import { describeValue, numberHint, rejectUnknownOptions } from '@keel/core/internal';
import { DEFAULTS } from './messaging.constants';
import type {
  BackoffOptions,
  ConsumerSettings,
  IdempotencyOptions,
  KafkaListenerOptions,
  MessagingModuleOptions,
  ResolvedMessagingOptions,
  RetryOptions,
  TopicProvisioning,
} from './messaging.options';

type Fail = (message: string) => KeelConfigError;

const moduleError: Fail = (m) => new KeelConfigError(`MessagingModule: ${m}`);

// Records, so the compiler fails when an option is added to a type but not here.
const keys = <T>(record: Record<keyof T, 0>): string[] => Object.keys(record);
const MODULE_KEYS = keys<MessagingModuleOptions>({
  brokers: 0,
  clientId: 0,
  consumer: 0,
  kafka: 0,
  serializer: 0,
  retry: 0,
  dltSuffix: 0,
  idempotency: 0,
  replicationFactor: 0,
  restart: 0,
  registry: 0,
});
const CONSUMER_KEYS = keys<ConsumerSettings>({
  sessionTimeout: 0,
  heartbeatInterval: 0,
  rebalanceTimeout: 0,
  maxWaitTimeInMs: 0,
  maxBytes: 0,
});
const IDEMPOTENCY_KEYS = keys<IdempotencyOptions>({
  redis: 0,
  ttlMs: 0,
  keyPrefix: 0,
  timeoutMs: 0,
  claimTtlMs: 0,
});
const RESTART_KEYS = keys<NonNullable<MessagingModuleOptions['restart']>>({
  initialMs: 0,
  maxMs: 0,
});
const RETRY_KEYS = keys<RetryOptions>({
  attempts: 0,
  backoff: 0,
  retryOn: 0,
  noRetryOn: 0,
  nonBlocking: 0,
});
const BACKOFF_KEYS = keys<BackoffOptions>({ initialMs: 0, multiplier: 0, maxMs: 0, jitter: 0 });
export const PROVISION_KEYS = keys<TopicProvisioning>({ partitions: 0, replicationFactor: 0 });
export const LISTENER_KEYS = keys<KafkaListenerOptions>({
  topics: 0,
  topicPattern: 0,
  groupId: 0,
  concurrency: 0,
  batch: 0,
  fromBeginning: 0,
  retry: 0,
  dlt: 0,
  idempotent: 0,
  schema: 0,
  provision: 0,
});

/** Unknown keys of a nested options object, when it is one (its own check names other types). */
function rejectUnknownIn(owner: string, value: unknown, known: string[], path: string): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    rejectUnknownOptions(owner, value, known, path);
  }
}

export function checkNumber(
  value: unknown,
  name: string,
  min: number,
  fail: Fail,
  opts: { integer?: boolean; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    (opts.max === undefined || value <= opts.max) &&
    (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const kind = opts.integer ? 'an integer' : 'a finite number';
    const range = opts.max === undefined ? `>= ${min}` : `between ${min} and ${opts.max}`;
    throw fail(
      `${name} must be ${kind} ${range}, got ${describeValue(value)}.${numberHint(name, value)}`,
    );
  }
  return value;
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && value.prototype !== undefined;
}

/** Checks a retry policy; `prefix` names where it came from in the message. */
/** `owner` names whose options these are in unknown-key errors, as `fail` prefixes its own. */
export function checkRetry(
  retry: RetryOptions | undefined,
  prefix: string,
  owner: string,
  fail: Fail,
): void {
  if (retry === undefined) return;
  if (retry === null || typeof retry !== 'object') {
    throw fail(`${prefix} must be an object, got ${describeValue(retry)}`);
  }
  rejectUnknownOptions(owner, retry, RETRY_KEYS, `${prefix}.`);
  rejectUnknownIn(owner, retry.backoff, BACKOFF_KEYS, `${prefix}.backoff.`);
  checkNumber(retry.attempts, `${prefix}.attempts`, 1, fail, { integer: true, max: 100 });
  const b = retry.backoff;
  if (b !== undefined) {
    checkNumber(b.initialMs, `${prefix}.backoff.initialMs`, 0, fail);
    checkNumber(b.multiplier, `${prefix}.backoff.multiplier`, 1, fail);
    checkNumber(b.maxMs, `${prefix}.backoff.maxMs`, 0, fail);
    checkNumber(b.jitter, `${prefix}.backoff.jitter`, 0, fail, { max: 1 });
  }
  for (const list of ['retryOn', 'noRetryOn'] as const) {
    const classes: unknown = retry[list];
    if (classes === undefined) continue;
    if (!Array.isArray(classes) || !classes.every(isClass)) {
      throw fail(`${prefix}.${list} must be an array of error classes`);
    }
  }
  if (retry.nonBlocking !== undefined && typeof retry.nonBlocking !== 'boolean') {
    throw fail(`${prefix}.nonBlocking must be a boolean`);
  }
}

const BROKER = /^[^\s:]+:\d{1,5}$/;

/** Validates module options at start-up; a bad one fails the boot naming the option. */
export function resolveMessagingOptions(options: MessagingModuleOptions): ResolvedMessagingOptions {
  if (options === null || typeof options !== 'object') {
    throw moduleError('options must be an object with `brokers` and `clientId`');
  }
  rejectUnknownOptions('MessagingModule', options, MODULE_KEYS);
  rejectUnknownIn('MessagingModule', options.consumer, CONSUMER_KEYS, 'consumer.');
  rejectUnknownIn('MessagingModule', options.idempotency, IDEMPOTENCY_KEYS, 'idempotency.');
  rejectUnknownIn('MessagingModule', options.restart, RESTART_KEYS, 'restart.');
  const { brokers, clientId } = options;
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw moduleError('brokers must be a non-empty array of "host:port" strings');
  }
  for (const b of brokers) {
    if (typeof b !== 'string' || !BROKER.test(b)) {
      throw moduleError(`brokers: ${describeValue(b)} is not a "host:port" string`);
    }
  }
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw moduleError('clientId must be a non-empty string');
  }
  const dltSuffix = options.dltSuffix ?? DEFAULTS.dltSuffix;
  if (typeof dltSuffix !== 'string' || dltSuffix === '') {
    throw moduleError('dltSuffix must be a non-empty string');
  }
  const s = options.serializer;
  if (
    s !== undefined &&
    (typeof s?.serialize !== 'function' || typeof s.deserialize !== 'function')
  ) {
    throw moduleError('serializer must have serialize() and deserialize() functions');
  }
  checkRetry(options.retry, 'retry', 'MessagingModule', moduleError);
  const idem = options.idempotency;
  if (idem !== undefined && (idem === null || typeof idem !== 'object' || !idem.redis)) {
    throw moduleError('idempotency.redis must be a Redis URL, ioredis options or a client');
  }
  const prefix = idem?.keyPrefix ?? DEFAULTS.idempotencyPrefix;
  if (typeof prefix !== 'string') throw moduleError('idempotency.keyPrefix must be a string');
  const restartInitialMs =
    checkNumber(options.restart?.initialMs, 'restart.initialMs', 1, moduleError) ??
    DEFAULTS.restartInitialMs;
  const restartMaxMs =
    checkNumber(options.restart?.maxMs, 'restart.maxMs', 1, moduleError) ?? DEFAULTS.restartMaxMs;
  const consumer = { ...options.consumer };
  for (const [name, value] of Object.entries(consumer)) {
    checkNumber(value, `consumer.${name}`, 1, moduleError, { integer: true });
  }
  return {
    consumer,
    brokers: [...brokers],
    clientId,
    dltSuffix,
    retry: options.retry ?? {},
    restartInitialMs,
    restartMaxMs: Math.max(restartMaxMs, restartInitialMs),
    idempotencyTtlMs:
      checkNumber(idem?.ttlMs, 'idempotency.ttlMs', 1, moduleError, { integer: true }) ??
      DEFAULTS.idempotencyTtlMs,
    idempotencyPrefix: prefix,
    idempotencyTimeoutMs:
      checkNumber(idem?.timeoutMs, 'idempotency.timeoutMs', 1, moduleError) ??
      DEFAULTS.idempotencyTimeoutMs,
    idempotencyClaimTtlMs:
      checkNumber(idem?.claimTtlMs, 'idempotency.claimTtlMs', 150, moduleError, {
        integer: true,
      }) ?? DEFAULTS.idempotencyClaimTtlMs,
    replicationFactor: checkNumber(options.replicationFactor, 'replicationFactor', 1, moduleError, {
      integer: true,
    }),
  };
}
