import { runWithContext } from '@keel/core';
import type { KafkaMessage } from 'kafkajs';
import type { DedupeStore } from './dedupe-store';
import { DLT_HEADERS, parseRetryTopic } from './dead-letter';
import type { FailedRecord, FailureRouter } from './failure-router';
import type { ListenerDefinition } from './listener-definition';
import type { KafkaMessageContext } from './message-context';
import { contextFromHeaders, headersToRecord } from './message-headers';
import type { MessagingMetrics } from './messaging.metrics';
import type { MessageSerializer } from './messaging.options';
import { sleep } from './sleep';

/** done: resolve the offset; defer: not due yet (retry topic); abort: leave it for redelivery. */
export type DispatchResult =
  { kind: 'done' } | { kind: 'defer'; dueAt: number } | { kind: 'abort' };

const DONE: DispatchResult = { kind: 'done' };
const ABORT: DispatchResult = { kind: 'abort' };

export interface Delivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  signal: AbortSignal;
  heartbeat: () => Promise<void>;
}

/** Decoded message with everything the handler and the failure path need. */
export interface Prepared {
  payload: unknown;
  ctx: KafkaMessageContext;
  record: FailedRecord;
  id: string | undefined;
}

/** Runs one listener's handler for one record: decode, validate, dedupe, retry, route. */
export class MessageDispatcher {
  constructor(
    readonly def: ListenerDefinition,
    private readonly serializer: MessageSerializer,
    readonly router: FailureRouter,
    private readonly metrics: MessagingMetrics,
    private readonly dedupe: DedupeStore | null,
  ) {}

  async dispatch(d: Delivery): Promise<DispatchResult> {
    const retryOf = this.def.retryTopics.includes(d.topic) ? parseRetryTopic(d.topic) : null;
    const headers = headersToRecord(d.message.headers);
    if (retryOf) {
      const dueAt = Number(headers[DLT_HEADERS.dueAt]);
      if (dueAt > Date.now()) return { kind: 'defer', dueAt };
    }
    const attempt = retryOf ? Number(headers[DLT_HEADERS.attempts] ?? retryOf.level) + 1 : 1;
    const originalTopic = retryOf?.topic ?? d.topic;
    const maybe = this.prepareRecord(d, headers, originalTopic, attempt);
    const prepared = maybe instanceof Promise ? await maybe : maybe;
    if (!prepared) return DONE;
    // no id, no dedupe: skip the awaits, they add up per message
    if (prepared.id && (await this.isDuplicate(prepared))) return DONE;
    return this.run(prepared, d);
  }

  /** Decodes and validates; an invalid record goes to the DLT and yields undefined. */
  async prepare(
    d: Delivery,
    headers: Record<string, string>,
    originalTopic: string,
    attempt: number,
  ): Promise<Prepared | undefined> {
    const { message } = d;
    const record: FailedRecord = { topic: d.topic, originalTopic, partition: d.partition, message };
    let payload: unknown;
    try {
      payload = this.serializer.deserialize(message.value);
      if (this.def.validate) payload = await this.def.validate(payload);
    } catch (err) {
      await this.router.exhausted(record, err, attempt);
      return undefined;
    }
    return this.prepared(d, headers, record, payload, attempt);
  }

  /**
   * `prepare`, but synchronous for listeners without a schema (the usual case): a promise per
   * message adds up. A record that cannot be decoded goes to the DLT and yields undefined.
   */
  prepareRecord(
    d: Delivery,
    headers: Record<string, string>,
    originalTopic: string,
    attempt: number,
  ): Prepared | undefined | Promise<Prepared | undefined> {
    if (this.def.validate) return this.prepare(d, headers, originalTopic, attempt);
    const { message } = d;
    const record: FailedRecord = { topic: d.topic, originalTopic, partition: d.partition, message };
    let payload: unknown;
    try {
      payload = this.serializer.deserialize(message.value);
    } catch (err) {
      return this.router.exhausted(record, err, attempt).then(() => undefined);
    }
    return this.prepared(d, headers, record, payload, attempt);
  }

  private prepared(
    d: Delivery,
    headers: Record<string, string>,
    record: FailedRecord,
    payload: unknown,
    attempt: number,
  ): Prepared {
    const { message } = d;
    const originalTopic = record.originalTopic;
    const ctx: KafkaMessageContext = {
      topic: d.topic,
      originalTopic,
      partition: d.partition,
      offset: message.offset,
      key: message.key === null ? null : message.key.toString('utf8'),
      headers,
      timestamp: message.timestamp,
      attempt,
      signal: d.signal,
      heartbeat: d.heartbeat,
    };
    const idem = this.def.idempotent;
    const id = this.def.isIdempotent
      ? idem.key
        ? idem.key(payload, headers)
        : headers[idem.header]
      : undefined;
    return { payload, ctx, record, id: id || undefined };
  }

  async isDuplicate(p: Prepared): Promise<boolean> {
    if (!p.id || !this.dedupe || !(await this.dedupe.seen(this.def.groupId, p.id))) return false;
    this.metrics.consumedMessage(p.record.originalTopic, this.def.groupId, 'duplicate');
    return true;
  }

  async markHandled(p: Prepared): Promise<void> {
    if (p.id && this.dedupe) {
      await this.dedupe.markHandled(this.def.groupId, p.id, this.def.idempotent.ttlMs);
    }
  }

  private async run(p: Prepared, d: Delivery): Promise<DispatchResult> {
    const { policy, groupId } = this.def;
    const topic = p.record.originalTopic;
    for (let attempt = p.ctx.attempt; ; attempt++) {
      const ctx = attempt === p.ctx.attempt ? p.ctx : { ...p.ctx, attempt };
      const started = performance.now();
      try {
        await runWithContext(contextFromHeaders(ctx.headers), () =>
          this.def.invoke(p.payload, ctx),
        );
        this.metrics.handlerTime(topic, groupId, (performance.now() - started) / 1000);
        if (p.id) await this.markHandled(p);
        this.metrics.consumedMessage(topic, groupId, 'success');
        return DONE;
      } catch (err) {
        this.metrics.handlerTime(topic, groupId, (performance.now() - started) / 1000);
        // Shutdown or rebalance interrupted it: leave the offset so the message is redelivered.
        if (d.signal.aborted) return ABORT;
        if (!policy.shouldRetry(err, attempt)) {
          await this.router.exhausted(p.record, err, attempt);
          return DONE;
        }
        if (policy.nonBlocking) {
          await this.router.toRetryTopic(p.record, err, attempt);
          return DONE;
        }
        this.metrics.retried(topic, groupId);
        if (!(await sleep(policy.delayMs(attempt), d.signal))) return ABORT;
        await d.heartbeat().catch(() => undefined);
      }
    }
  }
}
