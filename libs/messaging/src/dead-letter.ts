import type { IHeaders, KafkaMessage } from 'kafkajs';
import { maskCardNumbers } from '@keel/core';

/** Headers Keel puts on retry and dead-letter records. */
export const DLT_HEADERS = {
  exceptionName: 'keel-exception-name',
  exceptionMessage: 'keel-exception-message',
  originalTopic: 'keel-original-topic',
  originalPartition: 'keel-original-partition',
  originalOffset: 'keel-original-offset',
  originalTimestamp: 'keel-original-timestamp',
  attempts: 'keel-attempts',
  dueAt: 'keel-retry-due-at',
} as const;

export function retryTopicName(topic: string, level: number): string {
  return `${topic}.retry.${level}`;
}

const RETRY_TOPIC = /^(.*)\.retry\.(\d+)$/;

/** The main topic and retry level of a retry topic name, or null for a main topic. */
export function parseRetryTopic(topic: string): { topic: string; level: number } | null {
  const m = RETRY_TOPIC.exec(topic);
  return m ? { topic: m[1], level: Number(m[2]) } : null;
}

export interface FailureInfo {
  /** Where the record was read: its topic, partition and message. */
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: unknown;
  attempts: number;
  /** For a retry topic: when the next attempt is due (epoch ms). */
  dueAt?: number;
}

const MAX_MESSAGE = 1_000;

/**
 * The original headers plus why and where the record failed. The `keel-original-*` headers
 * keep the first topic's values when a record moves from retry topic to retry topic.
 */
export function failureHeaders(info: FailureInfo): IHeaders {
  const headers: IHeaders = { ...info.message.headers };
  const err = info.error instanceof Error ? info.error : new Error(String(info.error));
  // an error message can quote the payload: card data is masked before it leaves in a header
  headers[DLT_HEADERS.exceptionName] = maskCardNumbers(errorName(err));
  headers[DLT_HEADERS.exceptionMessage] = maskCardNumbers(err.message).slice(0, MAX_MESSAGE);
  if (headers[DLT_HEADERS.originalTopic] === undefined) {
    headers[DLT_HEADERS.originalTopic] = info.topic;
    headers[DLT_HEADERS.originalPartition] = String(info.partition);
    headers[DLT_HEADERS.originalOffset] = info.message.offset;
    headers[DLT_HEADERS.originalTimestamp] = info.message.timestamp;
  }
  headers[DLT_HEADERS.attempts] = String(info.attempts);
  if (info.dueAt === undefined) delete headers[DLT_HEADERS.dueAt];
  else headers[DLT_HEADERS.dueAt] = String(info.dueAt);
  return headers;
}

/** `err.name`, or its class name when a subclass left the name at `Error`. */
export function errorName(err: Error): string {
  if (err.name && err.name !== 'Error') return err.name;
  const ctor = (err as { constructor?: { name?: string } }).constructor?.name;
  return ctor || 'Error';
}
