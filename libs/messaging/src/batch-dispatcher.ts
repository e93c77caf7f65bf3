import { runInRootSpan } from '@keel/core/internal';
import type { EachBatchPayload } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import type { MessageClaim } from './message-claim';
import type { KafkaBatchContext } from './message-context';
import type { MessageDispatcher, Prepared } from './message-dispatcher';
import { batchContextFromHeaders, headersToRecord } from './message-headers';
import { DEFAULTS } from './messaging.constants';
import type { MessagingMetrics } from './messaging.metrics';
import { sleepWithHeartbeat } from './sleep';

type BatchOutcome = 'handled' | 'aborted' | 'busy';

/**
 * Runs a batch listener over one fetched batch. Invalid records go to the DLT first, duplicates
 * are skipped; the handler gets the rest and may resolve offsets as it goes, so a retry after a
 * failure only repeats what it had not resolved.
 */
export async function dispatchBatch(
  dispatcher: MessageDispatcher,
  metrics: MessagingMetrics,
  p: EachBatchPayload,
  signal: AbortSignal,
): Promise<void> {
  const { batch } = p;
  const heartbeat = () => p.heartbeat();
  const items: Prepared[] = [];
  const claims = new Map<Prepared, MessageClaim>();
  // the first message another delivery holds: the batch stops before it (see below)
  let busyAt: string | undefined;
  const pause = () =>
    sleepWithHeartbeat(
      DEFAULTS.claimBusyRetryMs,
      signal,
      heartbeat,
      dispatcher.def.heartbeatSliceMs,
    );
  try {
    for (const message of batch.messages) {
      const d = { topic: batch.topic, partition: batch.partition, message, signal, heartbeat };
      const maybe = dispatcher.prepareRecord(d, headersToRecord(message.headers), batch.topic, 1);
      const prepared = maybe instanceof Promise ? await maybe : maybe;
      if (!prepared) continue;
      // no id, no claim: no await per message
      const claim = prepared.id ? await dispatcher.claim(prepared) : null;
      if (claim === 'done') continue;
      if (claim === 'busy') {
        busyAt = message.offset;
        break;
      }
      if (claim) claims.set(prepared, claim);
      items.push(prepared);
    }
    const outcome = await new BatchRun(dispatcher, metrics, p, signal, claims).run(items);
    if (outcome === 'aborted') return;
    // Found held elsewhere before a retry: fetched again from the first unresolved offset
    if (outcome === 'busy') return void (await pause());
    if (busyAt === undefined) {
      p.resolveOffset(batch.lastOffset());
      return;
    }
    // Held elsewhere: what came before it is done; it is fetched again after a pause (kafkajs
    // fetches from the first unresolved offset), then skipped if its holder succeeded.
    if (busyAt !== batch.messages[0].offset) p.resolveOffset((BigInt(busyAt) - 1n).toString());
    await pause();
  } finally {
    for (const claim of claims.values()) await claim.release();
  }
}

/** The handler over one batch's items, with the retry policy and the per-message fallback. */
class BatchRun {
  private resolved = -1n;
  private readonly heartbeat: () => Promise<void>;
  private readonly resolve = (offset: string): void => {
    if (BigInt(offset) > this.resolved) this.resolved = BigInt(offset);
    this.p.resolveOffset(offset);
  };

  constructor(
    private readonly dispatcher: MessageDispatcher,
    private readonly metrics: MessagingMetrics,
    private readonly p: EachBatchPayload,
    private readonly signal: AbortSignal,
    private readonly claims: ReadonlyMap<Prepared, MessageClaim>,
  ) {
    this.heartbeat = () => p.heartbeat();
  }

  /**
   * 'aborted' (shutdown, rebalance) and 'busy' (another delivery took over an item during a
   * retry wait) leave later offsets unresolved.
   */
  async run(prepared: Prepared[]): Promise<BatchOutcome> {
    const { def } = this.dispatcher;
    const { topic } = this.p.batch;
    let items = prepared;
    for (let attempt = 1; items.length > 0; attempt++) {
      const err = await this.invoke(items, attempt);
      if (err === undefined) {
        for (const item of items) await this.claims.get(item)?.handled(def.idempotent.ttlMs);
        this.metrics.consumedMessage(topic, def.groupId, 'success', items.length);
        return 'handled';
      }
      if (this.signal.aborted) return 'aborted';
      // what the handler resolved before failing is done
      for (const i of items)
        if (BigInt(i.ctx.offset) <= this.resolved)
          await this.claims.get(i)?.handled(def.idempotent.ttlMs);
      items = items.filter((i) => BigInt(i.ctx.offset) > this.resolved);
      if (!def.policy.shouldRetry(err.error, attempt))
        return this.oneByOne(items, err.error, attempt);
      this.metrics.retried(topic, def.groupId);
      const delay = def.policy.delayMs(attempt);
      if (!(await sleepWithHeartbeat(delay, this.signal, this.heartbeat, def.heartbeatSliceMs)))
        return 'aborted';
      // the wait may have been long: drop what another delivery handled meanwhile
      const kept: Prepared[] = [];
      for (const item of items) {
        const now = (await this.claims.get(item)?.renew()) ?? 'claimed';
        if (now === 'busy') return 'busy';
        if (now === 'done') this.metrics.consumedMessage(topic, def.groupId, 'duplicate');
        else kept.push(item);
      }
      items = kept;
    }
    return 'handled';
  }

  /**
   * The batch failed for good, but which message made it fail is unknown: each message left
   * gets one more call on its own, and only those that fail alone go to the DLT (a whole batch
   * dead-lettered for one poison message would bury the good ones with it).
   */
  private async oneByOne(
    items: Prepared[],
    error: unknown,
    attempts: number,
  ): Promise<BatchOutcome> {
    const { def, router } = this.dispatcher;
    const { topic } = this.p.batch;
    if (items.length === 1) {
      await router.exhausted(items[0], error, attempts);
      return 'handled';
    }
    for (const item of items) {
      if (this.signal.aborted) return 'aborted';
      const err = await this.invoke([item], attempts + 1);
      if (err === undefined) {
        await this.claims.get(item)?.handled(def.idempotent.ttlMs);
        this.metrics.consumedMessage(topic, def.groupId, 'success');
      } else if (this.signal.aborted) {
        return 'aborted';
      } else if (BigInt(item.ctx.offset) > this.resolved) {
        await router.exhausted(item, err.error, attempts + 1);
      }
      this.resolve(item.ctx.offset);
    }
    return 'handled';
  }

  /** One call of the handler over `items`; the error it threw, if any. */
  private async invoke(
    items: Prepared[],
    attempt: number,
  ): Promise<{ error: unknown } | undefined> {
    const { def } = this.dispatcher;
    const { topic, partition } = this.p.batch;
    const ctx: KafkaBatchContext = {
      topic,
      partition,
      messages: attempt === 1 ? items.map((i) => i.ctx) : items.map((i) => ({ ...i.ctx, attempt })),
      signal: this.signal,
      heartbeat: this.heartbeat,
      resolveOffset: this.resolve,
    };
    // one span for the call, in the trace its messages share (see batchContextFromHeaders)
    const init = batchContextFromHeaders(ctx.messages);
    const started = performance.now();
    try {
      await runInRootSpan(init, () =>
        def.invoke(
          items.map((i) => i.payload),
          ctx,
        ),
      );
      return undefined;
    } catch (error) {
      return { error };
    } finally {
      this.metrics.handlerTime(topic, def.groupId, (performance.now() - started) / 1000);
    }
  }
}
