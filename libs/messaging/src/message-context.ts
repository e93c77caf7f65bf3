/** What a listener handler gets besides the payload. */
export interface KafkaMessageContext {
  /** The topic the record was read from (a retry topic for a retried message). */
  readonly topic: string;
  /** The topic the message was first published to. */
  readonly originalTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: string;
  /** 1 for the first delivery, counting blocking and retry-topic attempts. */
  readonly attempt: number;
  /** Aborts when the app shuts down or the partition is rebalanced away. */
  readonly signal: AbortSignal;
  /** Tells the group coordinator this consumer is alive during long work. */
  heartbeat(): Promise<void>;
}

/** What a batch listener handler gets besides the payloads. */
export interface KafkaBatchContext {
  readonly topic: string;
  readonly partition: number;
  /** One context per payload, same order. */
  readonly messages: readonly KafkaMessageContext[];
  readonly signal: AbortSignal;
  heartbeat(): Promise<void>;
  /** Marks a message (and all before it) done, so a later failure does not repeat it. */
  resolveOffset(offset: string): void;
}
