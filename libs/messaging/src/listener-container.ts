import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { dispatchBatch } from './batch-dispatcher';
import type { ListenerDefinition } from './listener-definition';
import type { Delivery, DispatchResult, MessageDispatcher } from './message-dispatcher';
import type { MessagingMetrics } from './messaging.metrics';
import type { ConsumerSettings } from './messaging.options';
import type { ConsumerState, ConsumerStatus } from './messaging-status';
import { explainKafkaError } from './kafka-errors';

export interface RestartBackoff {
  initialMs: number;
  maxMs: number;
}

// kafkajs throttles heartbeats itself; checking every 500 ms spares a promise per message
const HEARTBEAT_CHECK_MS = 500;
// retriable crashes in a row (no group join between) before they are worth a warning
const RETRIABLE_CRASHES_BEFORE_WARN = 3;

/**
 * One listener's consumer: eachBatch with manual offset resolution (an offset is resolved only
 * once its message was handled or handed on), commit at the end of each batch, restart on crash.
 */
export class ListenerContainer {
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private state: ConsumerState = 'stopped';
  private since = new Date();
  private restarts = 0;
  private failures = 0;
  private retriableCrashes = 0;
  private lastError: string | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  // what has to be in place before each start (topic provisioning), retried with it
  private prepare: () => Promise<void> = () => Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly def: ListenerDefinition,
    private readonly kafka: Kafka,
    private readonly dispatcher: MessageDispatcher,
    private readonly metrics: MessagingMetrics,
    private readonly backoff: RestartBackoff,
    private readonly settings: ConsumerSettings,
  ) {
    this.logger = new Logger(`KafkaListener ${def.name}`);
  }

  status(): ConsumerStatus {
    const { name, groupId, topics, retryTopics, topicPattern } = this.def;
    return {
      listener: name,
      groupId,
      topics: topicPattern ? [String(topicPattern)] : [...topics, ...retryTopics],
      state: this.state,
      restarts: this.restarts,
      lastError: this.lastError,
      since: this.since,
    };
  }

  /**
   * Prepares and starts the consumer. When Kafka cannot be reached the app still boots: the
   * listener shows `failed` (with the error) and keeps retrying with the restart backoff.
   */
  async launch(prepare: () => Promise<void>): Promise<void> {
    this.prepare = prepare;
    try {
      await prepare();
      await this.start();
    } catch (err) {
      this.lastError = explainKafkaError(err, this.def.brokers);
      if (this.stopping) return;
      this.setState('failed');
      this.scheduleRestart(this.consumer);
    }
  }

  async start(): Promise<void> {
    this.setState('starting');
    const { def } = this;
    const consumer = this.kafka.consumer({
      maxWaitTimeInMs: 500,
      ...this.settings,
      groupId: def.groupId,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.failures = 0;
      this.retriableCrashes = 0;
      this.setState('running');
    });
    consumer.on(consumer.events.REBALANCING, () => this.abortInFlight('rebalance'));
    consumer.on(consumer.events.CRASH, (e) =>
      this.onCrash(consumer, e.payload.error, e.payload.restart),
    );
    await consumer.connect();
    const topics = def.topicPattern ? [def.topicPattern] : [...def.topics, ...def.retryTopics];
    await consumer.subscribe({ topics, fromBeginning: def.fromBeginning });
    await consumer.run({
      partitionsConsumedConcurrently: def.concurrency,
      eachBatchAutoResolve: false,
      eachBatch: (p) => this.eachBatch(p),
    });
  }

  /** Stops fetching, lets in-flight handlers finish, commits what they resolved, disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    for (const t of this.timers) clearTimeout(t);
    this.abortInFlight('shutdown');
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) {
      await consumer.stop();
      await consumer.disconnect();
    }
    this.setState('stopped');
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    const ac = new AbortController();
    this.inFlight.add(ac);
    let lastDone: string | undefined;
    let lastBeat = Date.now();
    try {
      if (this.def.batch) {
        await dispatchBatch(this.dispatcher, this.metrics, p, ac.signal);
        lastDone = batch.lastOffset();
        return;
      }
      // one delivery per batch, its message swapped per record: dispatch reads it up front
      const d: Delivery = {
        topic: batch.topic,
        partition: batch.partition,
        message: batch.messages[0],
        signal: ac.signal,
        heartbeat: () => p.heartbeat(),
      };
      // kafkajs's isStale builds a JSON key per call, and clocks and the signal's getter cost
      // too: a stop, a rebalance or a seek only happens while this loop waits, so they are
      // checked on entry and after each await, the heartbeat clock every 16 messages between
      let waited = true;
      let n = 0;
      for (const message of batch.messages) {
        if (waited && (ac.signal.aborted || !p.isRunning() || p.isStale())) break;
        d.message = message;
        const r = this.dispatcher.dispatch(d);
        waited = r instanceof Promise;
        const result = waited ? await r : (r as DispatchResult);
        if (result.kind === 'abort') break;
        if (result.kind === 'defer') {
          this.deferPartition(batch.topic, batch.partition, message.offset, result.dueAt);
          break;
        }
        lastDone = message.offset;
        if (!waited && (++n & 15) !== 0) continue;
        const now = Date.now();
        if (now - lastBeat >= HEARTBEAT_CHECK_MS) {
          lastBeat = now;
          // what is done so far is committed with the heartbeat's offsets, if kafkajs commits
          p.resolveOffset(lastDone);
          await p.heartbeat();
          waited = true;
        }
      }
    } finally {
      this.inFlight.delete(ac);
      // resolving the last handled offset covers every one before it: once per batch, not per
      // message (kafkajs does Long arithmetic for each)
      if (lastDone !== undefined && !this.def.batch) p.resolveOffset(lastDone);
      if (lastDone !== undefined) {
        const lag = Number(batch.highWatermark) - Number(lastDone) - 1;
        this.metrics.consumerLag(batch.topic, batch.partition, this.def.groupId, Math.max(0, lag));
      }
      const offsets = p.uncommittedOffsets();
      if (offsets.topics.some((t) => t.partitions.length > 0))
        await p.commitOffsetsIfNecessary(offsets);
    }
  }

  /** A retry-topic record not due yet: pause only its partition and come back when it is. */
  private deferPartition(topic: string, partition: number, offset: string, dueAt: number): void {
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (this.consumer === consumer) consumer.resume([{ topic, partitions: [partition] }]);
      },
      Math.max(0, dueAt - Date.now()),
    );
    this.timers.add(timer);
  }

  private abortInFlight(reason: string): void {
    for (const ac of this.inFlight) ac.abort(new Error(`consumer ${reason}`));
  }

  private onCrash(consumer: Consumer, error: Error, kafkajsRestarts: boolean): void {
    this.lastError = explainKafkaError(error, this.def.brokers);
    if (this.stopping || this.consumer !== consumer) return;
    this.restarts++;
    this.setState('restarting');
    // kafkajs restarts after retriable errors itself; anything else we restart with backoff.
    if (!kafkajsRestarts) {
      this.scheduleRestart(consumer);
      return;
    }
    // a coordinator still loading after a broker start, say: passes by itself, so only a run
    // of them is a warning (kafkajs' own crash lines are debug, see kafka-logger.ts)
    const n = ++this.retriableCrashes;
    const line = `Consumer restarting after a retriable error (${this.lastError}); ${n} in a row since it last joined its group`;
    if (n >= RETRIABLE_CRASHES_BEFORE_WARN) this.logger.warn(line);
    else this.logger.log(line);
  }

  private scheduleRestart(old: Consumer | undefined): void {
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.failures++);
    const what = this.state === 'failed' ? 'Consumer could not start' : 'Consumer crashed';
    this.logger.error(`${what} (${this.lastError}); retrying in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      void old?.disconnect().catch(() => undefined);
      this.prepare()
        .then(() => this.start())
        .catch((err: unknown) => {
          this.lastError = explainKafkaError(err, this.def.brokers);
          if (this.stopping) return;
          // the restart itself failed (broker unreachable, say): shown as failed until a later
          // attempt joins the group
          this.setState('failed');
          this.scheduleRestart(this.consumer);
        });
    }, delay);
  }

  private setState(state: ConsumerState): void {
    if (this.state === state) return;
    this.state = state;
    this.since = new Date();
    this.metrics.consumerRunning(this.def.name, this.def.groupId, state === 'running');
  }
}
