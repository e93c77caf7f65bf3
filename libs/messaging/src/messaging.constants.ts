export const KAFKA_LISTENER_METADATA = 'keel:messaging:kafka-listener';

/** The shared kafkajs `Kafka` client. */
export const KAFKA_CLIENT = Symbol('keel.messaging.kafka');
export const RESOLVED_MESSAGING_OPTIONS = Symbol('keel.messaging.resolved-options');
export const MESSAGING_METRICS = Symbol('keel.messaging.metrics');
export const MESSAGE_SERIALIZER = Symbol('keel.messaging.serializer');
export const DEDUPE_STORE = Symbol('keel.messaging.dedupe-store');

export const HEADER_MESSAGE_ID = 'x-message-id';

export const DEFAULTS = {
  dltSuffix: '.DLT',
  attempts: 3,
  initialMs: 200,
  multiplier: 2,
  // one delay with its jitter (24 s) stays under kafkajs' default session timeout (30 s)
  maxMs: 20_000,
  jitter: 0.2,
  /** kafkajs' defaults, which a listener's consumer has unless `consumer` says otherwise. */
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  restartInitialMs: 1_000,
  restartMaxMs: 30_000,
  idempotencyTtlMs: 24 * 3600_000,
  idempotencyPrefix: 'keel:msg:',
  idempotencyTimeoutMs: 2_000,
  idempotencyClaimTtlMs: 15_000,
  /** A delivery that finds its message claimed by another looks again after this long. */
  claimBusyRetryMs: 1_000,
} as const;
