import { runInRootSpan } from '@keel/core';
import type { EachBatchPayload } from 'kafkajs';
import type { MessageClaim } from './message-claim';
import type { KafkaBatchContext } from './message-context';
import type { MessageDispatcher, Prepared } from './message-dispatcher';
import { headersToRecord } from './message-headers';
import { DEFAULTS } from './messaging.constants';
import type { MessagingMetrics } from './messaging.metrics';
import { sleepWithHeartbeat } from './sleep';

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
      const claim = await dispatcher.claim(prepared);
      if (claim === 'done') continue;
      if (claim === 'busy') {
        busyAt = message.offset;
        break;
      }
      if (claim) claims.set(prepared, claim);
      items.push(prepared);
    }
    const outcome = await runBatch(dispatcher, metrics, p, signal, items, claims);
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

/**
 * The handler over `items` with the retry policy. 'aborted' (shutdown, rebalance) and 'busy'
 * (another delivery took over an item during a retry wait) leave later offsets unresolved.
 */
async function runBatch(
  dispatcher: MessageDispatcher,
  metrics: MessagingMetrics,
  p: EachBatchPayload,
  signal: AbortSignal,
  prepared: Prepared[],
  claims: ReadonlyMap<Prepared, MessageClaim>,
): Promise<'handled' | 'aborted' | 'busy'> {
  const { batch } = p;
  const { def, router } = dispatcher;
  const heartbeat = () => p.heartbeat();
  let items = prepared;
  let resolved = -1n;
  const resolve = (offset: string) => {
    if (BigInt(offset) > resolved) resolved = BigInt(offset);
    p.resolveOffset(offset);
  };
  for (let attempt = 1; items.length > 0; attempt++) {
    const ctx: KafkaBatchContext = {
      topic: batch.topic,
      partition: batch.partition,
      messages: attempt === 1 ? items.map((i) => i.ctx) : items.map((i) => ({ ...i.ctx, attempt })),
      signal,
      heartbeat,
      resolveOffset: resolve,
    };
    const started = performance.now();
    try {
      await runInRootSpan({}, () =>
        def.invoke(
          items.map((i) => i.payload),
          ctx,
        ),
      );
      metrics.handlerTime(batch.topic, def.groupId, (performance.now() - started) / 1000);
      for (const item of items) await claims.get(item)?.handled(def.idempotent.ttlMs);
      metrics.consumedMessage(batch.topic, def.groupId, 'success', items.length);
      break;
    } catch (err) {
      metrics.handlerTime(batch.topic, def.groupId, (performance.now() - started) / 1000);
      if (signal.aborted) return 'aborted';
      // what the handler resolved before failing is done
      for (const i of items)
        if (BigInt(i.ctx.offset) <= resolved) await claims.get(i)?.handled(def.idempotent.ttlMs);
      items = items.filter((i) => BigInt(i.ctx.offset) > resolved);
      if (!def.policy.shouldRetry(err, attempt)) {
        for (const item of items) await router.exhausted(item, err, attempt);
        break;
      }
      metrics.retried(batch.topic, def.groupId);
      const delay = def.policy.delayMs(attempt);
      if (!(await sleepWithHeartbeat(delay, signal, heartbeat, def.heartbeatSliceMs)))
        return 'aborted';
      // the wait may have been long: drop what another delivery handled meanwhile
      const kept: Prepared[] = [];
      for (const item of items) {
        const now = (await claims.get(item)?.renew()) ?? 'claimed';
        if (now === 'busy') return 'busy';
        if (now === 'done') metrics.consumedMessage(batch.topic, def.groupId, 'duplicate');
        else kept.push(item);
      }
      items = kept;
    }
  }
  return 'handled';
}
