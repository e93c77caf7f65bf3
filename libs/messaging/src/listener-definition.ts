import { KeelConfigError } from '@keel/core';
import { describeValue, rejectUnknownOptions, type DiscoveredMethod } from '@keel/core/internal';
import { retryTopicName } from './dead-letter';
import { DEFAULTS, HEADER_MESSAGE_ID } from './messaging.constants';
import { RetryBackoffError } from './messaging.errors';
import type {
  IdempotentListenerOptions,
  KafkaListenerOptions,
  ResolvedMessagingOptions,
  RetryOptions,
} from './messaging.options';
import { checkNumber, checkRetry, LISTENER_KEYS, PROVISION_KEYS } from './messaging.validation';
import { RetryPolicy } from './retry-policy';
import { compileSchema, type PayloadValidator } from './schema-validator';

/** A listener's options checked and resolved at start-up. */
export interface ListenerDefinition {
  readonly name: string;
  readonly groupId: string;
  /** The module's brokers, named when a consumer cannot start. */
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly topicPattern: RegExp | undefined;
  /** `<topic>.retry.<n>` topics this listener also reads (non-blocking retry). */
  readonly retryTopics: readonly string[];
  readonly concurrency: number;
  readonly batch: boolean;
  readonly fromBeginning: boolean;
  readonly policy: RetryPolicy;
  /** How often a blocking retry's wait heartbeats: under the consumer's heartbeatInterval. */
  readonly heartbeatSliceMs: number;
  /** The DLT of a main topic, or null when dead-lettering is off. */
  readonly dltFor: ((topic: string) => string) | null;
  readonly idempotent: Required<Pick<IdempotentListenerOptions, 'header' | 'ttlMs'>> &
    Pick<IdempotentListenerOptions, 'key'>;
  readonly isIdempotent: boolean;
  readonly validate: PayloadValidator | null;
  /** Partitions (and replication factor) to create missing `topics` with, if asked. */
  readonly provision: { partitions: number; replicationFactor: number | undefined } | null;
  /**
   * Calls the method through its instance, so every Keel layer on it runs. Returns what the
   * method returns (a promise or not) and throws what it throws.
   */
  readonly invoke: (payload: unknown, ctx: unknown) => unknown;
}

export function defineListener(
  handler: DiscoveredMethod<KafkaListenerOptions>,
  module: ResolvedMessagingOptions,
  hasDedupeStore: boolean,
): ListenerDefinition {
  const o = handler.metadata;
  const name = `${handler.className}.${handler.methodName}`;
  const owner = `@KafkaListener on ${name}()`;
  const fail = (m: string) => new KeelConfigError(`${owner}: ${m}`);
  rejectUnknownOptions(owner, o, LISTENER_KEYS);
  if (o.provision !== null && typeof o.provision === 'object') {
    rejectUnknownOptions(owner, o.provision, PROVISION_KEYS, 'provision.');
  }
  const topics = o.topics === undefined ? [] : [o.topics].flat();
  if (topics.length > 0 === (o.topicPattern !== undefined)) {
    throw fail('give exactly one of `topics` (a name or names) or `topicPattern` (a RegExp)');
  }
  if (topics.some((t) => typeof t !== 'string' || t.trim() === '')) {
    throw fail('topics must be non-empty strings');
  }
  if (o.topicPattern !== undefined && !(o.topicPattern instanceof RegExp)) {
    throw fail('topicPattern must be a RegExp');
  }
  const groupId = o.groupId ?? `${module.clientId}.${name}`;
  if (typeof groupId !== 'string' || groupId === '')
    throw fail('groupId must be a non-empty string');
  const concurrency = checkNumber(o.concurrency, 'concurrency', 1, fail, { integer: true }) ?? 1;
  checkRetry(o.retry, 'retry', owner, fail);
  const policy = new RetryPolicy(o.retry, module.retry);
  checkBackoffFitsSession(name, policy, o.retry, module);
  if (policy.nonBlocking && (o.batch || o.topicPattern)) {
    throw fail('retry.nonBlocking works with `topics` and per-message listeners only');
  }
  const customDlt = typeof o.dlt === 'object' ? o.dlt.topic : undefined;
  if (customDlt !== undefined && (typeof customDlt !== 'string' || customDlt === '')) {
    throw fail('dlt.topic must be a non-empty string');
  }
  const dltFor = o.dlt === false ? null : (t: string) => customDlt ?? `${t}${module.dltSuffix}`;
  const idem = typeof o.idempotent === 'object' ? o.idempotent : {};
  const isIdempotent = o.idempotent !== undefined && o.idempotent !== false;
  if (isIdempotent && !hasDedupeStore) {
    throw fail('idempotent needs a dedupe store: set `idempotency: { redis }` on MessagingModule');
  }
  if (idem.key !== undefined && typeof idem.key !== 'function')
    throw fail('idempotent.key must be a function');
  const ttlMs = checkNumber(idem.ttlMs, 'idempotent.ttlMs', 1, fail, { integer: true });
  if (o.schema !== undefined && typeof o.schema !== 'function') {
    throw fail('schema must be a class-validator class or a validate function');
  }
  const provision = resolveProvision(o, topics, module, fail);
  const retryTopics = policy.nonBlocking
    ? topics.flatMap((t) =>
        Array.from({ length: policy.attempts - 1 }, (_, i) => retryTopicName(t, i + 1)),
      )
    : [];
  const instance = handler.instance as Record<string, (...args: unknown[]) => unknown>;
  const method = handler.methodName;
  return {
    name,
    groupId,
    brokers: module.brokers,
    topics,
    topicPattern: o.topicPattern,
    retryTopics,
    concurrency,
    batch: o.batch === true,
    fromBeginning: o.fromBeginning === true,
    policy,
    heartbeatSliceMs: Math.max(
      50,
      Math.floor((module.consumer.heartbeatInterval ?? DEFAULTS.heartbeatIntervalMs) / 2),
    ),
    dltFor,
    idempotent: {
      header: idem.header ?? HEADER_MESSAGE_ID,
      ttlMs: ttlMs ?? module.idempotencyTtlMs,
      key: idem.key,
    },
    isIdempotent,
    validate: o.schema === undefined ? null : compileSchema(o.schema),
    provision,
    // Looked up per call: the method on the instance is core's trampoline. Not wrapped in a
    // promise: a synchronous handler is dispatched without one.
    invoke: (payload, ctx) => instance[method](payload, ctx),
  };
}

function resolveProvision(
  o: KafkaListenerOptions,
  topics: readonly string[],
  module: ResolvedMessagingOptions,
  fail: (m: string) => KeelConfigError,
): ListenerDefinition['provision'] {
  if (o.provision === undefined) return null;
  if (o.provision === null || typeof o.provision !== 'object') {
    throw fail(
      `provision must be { partitions, replicationFactor? }, got ${describeValue(o.provision)}`,
    );
  }
  if (topics.length === 0)
    throw fail('provision works with `topics` (a pattern names no topic to create)');
  const partitions = checkNumber(o.provision.partitions, 'provision.partitions', 1, fail, {
    integer: true,
  });
  if (partitions === undefined) throw fail('provision.partitions is required (an integer >= 1)');
  const replicationFactor =
    checkNumber(o.provision.replicationFactor, 'provision.replicationFactor', 1, fail, {
      integer: true,
    }) ?? module.replicationFactor;
  return { partitions, replicationFactor };
}

/**
 * A blocking retry waits in the consumer's loop: one wait as long as the session timeout would
 * get the member evicted if its heartbeats stalled (they are sent while it waits, but a stalled
 * event loop or coordinator would still show it). Non-blocking retries never wait in the loop.
 */
function checkBackoffFitsSession(
  name: string,
  policy: RetryPolicy,
  own: RetryOptions | undefined,
  module: ResolvedMessagingOptions,
): void {
  if (policy.nonBlocking) return;
  const session = module.consumer.sessionTimeout ?? DEFAULTS.sessionTimeoutMs;
  const longest = policy.longestDelayMs();
  if (longest < session) return;
  const where = (field: 'maxMs' | 'initialMs'): string =>
    own?.backoff?.[field] !== undefined
      ? `retry.backoff.${field}`
      : module.retry.backoff?.[field] !== undefined
        ? `MessagingModule retry.backoff.${field}`
        : `retry.backoff.${field} (default)`;
  const capped = policy.baseDelayMs(policy.attempts - 1) >= policy.maxMs;
  const cap = policy.maxMsUnder(session);
  // the cap made the longest wait, or the growth from initialMs did while under the cap
  const [option, value, fix] = capped
    ? [where('maxMs'), policy.maxMs, `Set ${where('maxMs')} to at most ${cap} ms`]
    : [where('initialMs'), policy.initialMs, `Cap it with retry.backoff.maxMs at most ${cap} ms`];
  throw new RetryBackoffError(name, option, value, longest, session, fix);
}
