import { KeelConfigError, KeelError } from '@keel/core';

/**
 * The payload is malformed or fails its schema. Never retried: the message goes to the DLT.
 * Throw it from a handler to dead-letter a message at once.
 */
export class MessageValidationError extends KeelError {
  constructor(
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Invalid message: ${reason}. It was sent to the dead-letter topic; fix the producer.`, {
      code: 'KEEL_MESSAGE_INVALID',
      cause: options.cause,
    });
  }
}

/** Publishing to Kafka failed. */
export class ProducerError extends KeelError {
  constructor(topic: string, cause: unknown, explained?: string) {
    const why = explained ?? (cause instanceof Error ? cause.message : String(cause));
    super(`Could not publish to "${topic}": ${why}. Check the broker and that the topic exists.`, {
      code: 'KEEL_KAFKA_PRODUCE',
      cause,
    });
  }
}

/** The idempotency store (Redis) did not answer a dedupe lookup or mark within its budget. */
export class DedupeStoreError extends KeelError {
  constructor(what: string, key: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`Dedupe store: ${what} of "${key}" failed: ${why}. The message will be redelivered.`, {
      code: 'KEEL_DEDUPE_STORE',
      cause,
    });
  }
}

/**
 * A listener's blocking retry could wait as long as its consumer's session timeout in one go:
 * found at start-up, since the group would evict a member that waits that long.
 */
export class RetryBackoffError extends KeelConfigError {
  constructor(
    readonly listener: string,
    /** The option that made the longest wait, as the user wrote it (or its default). */
    readonly option: string,
    readonly value: number,
    readonly longestDelayMs: number,
    readonly sessionTimeoutMs: number,
    fix: string,
  ) {
    super(
      `@KafkaListener on ${listener}(): ${option} is ${value} ms, so one blocking retry can wait ` +
        `up to ${longestDelayMs} ms (its largest delay plus jitter), which reaches ` +
        `consumer.sessionTimeout (${sessionTimeoutMs} ms): the group would evict the consumer ` +
        `while it waits. ${fix}, raise MessagingModule consumer.sessionTimeout above ` +
        `${longestDelayMs} ms, or use retry.nonBlocking.`,
    );
  }
}

/** An optional peer package a feature needs is not installed. */
export class MissingPackageError extends KeelError {
  constructor(pkg: string, feature: string) {
    super(`${feature} needs the "${pkg}" package: run \`npm install ${pkg}\`.`, {
      code: 'KEEL_MISSING_PACKAGE',
    });
  }
}
