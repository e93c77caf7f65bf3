import { isThenable, runInRootSpan } from '@keel/core/internal';
import type { KafkaMessage } from 'kafkajs';
// the global `performance` is a lazy getter on every read; the module's object is not
import { performance } from 'node:perf_hooks';
import type { DedupeStore } from './dedupe-store';
import { DLT_HEADERS, parseRetryTopic } from './dead-letter';
import type { FailedRecord, FailureRouter } from './failure-router';
import { MessageClaim } from './message-claim';
import { DEFAULTS } from './messaging.constants';
import type { ListenerDefinition } from './listener-definition';
import type { KafkaMessageContext } from './message-context';
import { messageTraceContext, headersToRecord } from './message-headers';
import type { MessageSeries, MessagingMetrics } from './messaging.metrics';
import type { MessageSerializer } from './messaging.options';
import { sleepWithHeartbeat } from './sleep';

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

/** Decoded message with everything the handler and the failure path need (it is its own record). */
export interface Prepared extends FailedRecord {
  payload: unknown;
  ctx: KafkaMessageContext;
  id: string | undefined;
}

/** Runs one listener's handler for one record: decode, validate, dedupe, retry, route. */
export class MessageDispatcher {
  private readonly series = new Map<string, MessageSeries>();
  private lastTopic: string | undefined;
  private lastSeries: MessageSeries | undefined;

  constructor(
    readonly def: ListenerDefinition,
    private readonly serializer: MessageSerializer,
    readonly router: FailureRouter,
    private readonly metrics: MessagingMetrics,
    private readonly dedupe: DedupeStore | null,
  ) {}

  /**
   * Settles with what to do with the record's offset. Synchronous when nothing needs waiting for
   * (no schema, no dedupe, a handler that returns no promise and succeeds): a promise per message
   * measured a large share of per-message dispatch.
   */
  dispatch(d: Delivery): DispatchResult | Promise<DispatchResult> {
    const retryOf =
      this.def.retryTopics.length > 0 && this.def.retryTopics.includes(d.topic)
        ? parseRetryTopic(d.topic)
        : null;
    const headers = headersToRecord(d.message.headers);
    if (retryOf) {
      const dueAt = Number(headers[DLT_HEADERS.dueAt]);
      if (dueAt > Date.now()) return { kind: 'defer', dueAt };
    }
    const attempt = retryOf ? Number(headers[DLT_HEADERS.attempts] ?? retryOf.level) + 1 : 1;
    const originalTopic = retryOf?.topic ?? d.topic;
    const maybe = this.prepareRecord(d, headers, originalTopic, attempt);
    if (maybe instanceof Promise) return maybe.then((p) => (p ? this.handle(p, d) : DONE));
    return maybe ? this.handle(maybe, d) : DONE;
  }

  private handle(p: Prepared, d: Delivery): DispatchResult | Promise<DispatchResult> {
    // no id, no dedupe: no await
    if (p.id && this.dedupe) return this.handleClaimed(p, d, p.id, this.dedupe);
    const started = performance.now();
    let out: unknown;
    try {
      out = this.invoke(p, p.ctx);
    } catch (err) {
      return this.failed(p, d, err, p.ctx.attempt, started);
    }
    if (isThenable(out)) {
      return Promise.resolve(out).then(
        () => this.succeeded(p, started),
        (err: unknown) => this.failed(p, d, err, p.ctx.attempt, started),
      );
    }
    return this.succeeded(p, started);
  }

  /**
   * An idempotent message runs only under its claim: checking "handled?" and then running would
   * let two deliveries (a rebalance while the old handler ignores the abort) both run it. A
   * delivery that finds it claimed elsewhere defers: its partition pauses and it looks again
   * later, then skips it if the holder succeeded or runs it if the holder gave up.
   */
  private async handleClaimed(
    p: Prepared,
    d: Delivery,
    id: string,
    store: DedupeStore,
  ): Promise<DispatchResult> {
    const claim = await MessageClaim.take(store, this.def.groupId, id);
    if (claim === 'done') return this.duplicate(p);
    if (claim === 'busy') return busy();
    try {
      return await this.run(p, d, p.ctx.attempt, claim);
    } finally {
      // after a success the claim is the handled mark already; otherwise free it
      await claim.release();
    }
  }

  private duplicate(p: Prepared): DispatchResult {
    this.metrics.consumedMessage(p.originalTopic, this.def.groupId, 'duplicate');
    return DONE;
  }

  private succeeded(
    p: Prepared,
    started: number,
    claim?: MessageClaim,
  ): DispatchResult | Promise<DispatchResult> {
    const series = this.seriesFor(p.originalTopic);
    series.handlerSeconds.observe((performance.now() - started) / 1000);
    if (claim) {
      return claim.handled(this.def.idempotent.ttlMs).then(() => {
        series.succeeded.inc();
        return DONE;
      });
    }
    series.succeeded.inc();
    return DONE;
  }

  private seriesFor(topic: string): MessageSeries {
    // a listener reads one topic for long runs: the last series spares a map lookup per message
    if (topic === this.lastTopic && this.lastSeries) return this.lastSeries;
    let s = this.series.get(topic);
    if (!s) this.series.set(topic, (s = this.metrics.messageSeries(topic, this.def.groupId)));
    this.lastTopic = topic;
    this.lastSeries = s;
    return s;
  }

  /** After a failed attempt: DLT, retry topic or a blocking retry, per the retry policy. */
  private async failed(
    p: Prepared,
    d: Delivery,
    err: unknown,
    attempt: number,
    started: number,
    claim?: MessageClaim,
  ): Promise<DispatchResult> {
    const { policy, groupId } = this.def;
    const seconds = (performance.now() - started) / 1000;
    this.seriesFor(p.originalTopic).handlerSeconds.observe(seconds);
    // Shutdown or rebalance interrupted it: leave the offset so the message is redelivered.
    if (d.signal.aborted) return ABORT;
    if (!policy.shouldRetry(err, attempt)) {
      await this.router.exhausted(p, err, attempt);
      return DONE;
    }
    if (policy.nonBlocking) {
      await this.router.toRetryTopic(p, err, attempt);
      return DONE;
    }
    this.metrics.retried(p.originalTopic, groupId);
    const delay = policy.delayMs(attempt);
    if (!(await sleepWithHeartbeat(delay, d.signal, d.heartbeat, this.def.heartbeatSliceMs)))
      return ABORT;
    if (claim) {
      // the wait may have been long: look again whether the message is still ours to run
      const now = await claim.renew();
      if (now === 'done') return this.duplicate(p);
      if (now === 'busy') return busy();
    }
    return this.run(p, d, attempt + 1, claim);
  }

  /** Decodes and validates; an invalid record goes to the DLT and yields undefined. */
  private async prepare(
    d: Delivery,
    headers: Readonly<Record<string, string>>,
    originalTopic: string,
    attempt: number,
  ): Promise<Prepared | undefined> {
    let payload: unknown;
    try {
      payload = this.serializer.deserialize(d.message.value);
      if (this.def.validate) payload = await this.def.validate(payload);
    } catch (err) {
      await this.router.exhausted(failedRecord(d, originalTopic), err, attempt);
      return undefined;
    }
    return this.prepared(d, headers, originalTopic, payload, attempt);
  }

  /**
   * `prepare`, but synchronous for listeners without a schema (the usual case): a promise per
   * message adds up. A record that cannot be decoded goes to the DLT and yields undefined.
   */
  prepareRecord(
    d: Delivery,
    headers: Readonly<Record<string, string>>,
    originalTopic: string,
    attempt: number,
  ): Prepared | undefined | Promise<Prepared | undefined> {
    if (this.def.validate) return this.prepare(d, headers, originalTopic, attempt);
    let payload: unknown;
    try {
      payload = this.serializer.deserialize(d.message.value);
    } catch (err) {
      const record = failedRecord(d, originalTopic);
      return this.router.exhausted(record, err, attempt).then(() => undefined);
    }
    return this.prepared(d, headers, originalTopic, payload, attempt);
  }

  private prepared(
    d: Delivery,
    headers: Readonly<Record<string, string>>,
    originalTopic: string,
    payload: unknown,
    attempt: number,
  ): Prepared {
    const { message } = d;
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
    return {
      topic: d.topic,
      originalTopic,
      partition: d.partition,
      message,
      payload,
      ctx,
      id: id || undefined,
    };
  }

  /** A batch item's claim (see handleClaimed); null when the listener is not idempotent. */
  async claim(p: Prepared): Promise<MessageClaim | 'done' | 'busy' | null> {
    if (!p.id || !this.dedupe) return null;
    const claim = await MessageClaim.take(this.dedupe, this.def.groupId, p.id);
    if (claim === 'done') this.duplicate(p);
    return claim;
  }

  /** The handler, in the message's own span (its trace and request id from its headers). */
  private invoke(p: Prepared, ctx: KafkaMessageContext): unknown {
    return runInRootSpan(messageTraceContext(ctx.headers), () => this.def.invoke(p.payload, ctx));
  }

  /** Attempts from `first` on, awaiting the handler each time. */
  private async run(
    p: Prepared,
    d: Delivery,
    first: number,
    claim?: MessageClaim,
  ): Promise<DispatchResult> {
    const ctx = first === p.ctx.attempt ? p.ctx : { ...p.ctx, attempt: first };
    const started = performance.now();
    try {
      await this.invoke(p, ctx);
    } catch (err) {
      return this.failed(p, d, err, first, started, claim);
    }
    return this.succeeded(p, started, claim);
  }
}

/** Held by another delivery: come back to it later (its partition pauses meanwhile). */
function busy(): DispatchResult {
  return { kind: 'defer', dueAt: Date.now() + DEFAULTS.claimBusyRetryMs };
}

function failedRecord(d: Delivery, originalTopic: string): FailedRecord {
  return { topic: d.topic, originalTopic, partition: d.partition, message: d.message };
}
