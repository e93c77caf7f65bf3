/**
 * What a messaging lib tells the health lib about its consumers, without either importing the
 * other: the messaging module provides this token, the health module injects it when present.
 */
export const KEEL_CONSUMER_STATUS = Symbol.for('keel.consumer-status');

export interface KeelConsumerState {
  /** Who consumes, e.g. `Class.method` of a listener. */
  readonly listener: string;
  readonly groupId: string;
  /** `running` is healthy; anything else (starting, restarting, stopped, failed) is not. */
  readonly state: string;
  readonly lastError?: string;
}

export interface KeelConsumerStatusSource {
  consumers(): readonly KeelConsumerState[];
}
