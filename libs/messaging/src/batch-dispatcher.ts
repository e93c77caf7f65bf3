import { runInRootSpan } from '@keel/core';
import type { EachBatchPayload } from 'kafkajs';
import type { KafkaBatchContext } from './message-context';
import type { MessageDispatcher, Prepared } from './message-dispatcher';
import { headersToRecord } from './message-headers';
import type { MessagingMetrics } from './messaging.metrics';
import { sleep } from './sleep';

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
  const { def, router } = dispatcher;
  const heartbeat = () => p.heartbeat();
  let items: Prepared[] = [];
  for (const message of batch.messages) {
    const d = { topic: batch.topic, partition: batch.partition, message, signal, heartbeat };
    const maybe = dispatcher.prepareRecord(d, headersToRecord(message.headers), batch.topic, 1);
    const prepared = maybe instanceof Promise ? await maybe : maybe;
    if (prepared && !(prepared.id && (await dispatcher.isDuplicate(prepared))))
      items.push(prepared);
  }
  let resolved = -1n;
  const resolve = (offset: string) => {
    if (BigInt(offset) > resolved) resolved = BigInt(offset);
    p.resolveOffset(offset);
  };
  const last = batch.lastOffset();
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
      for (const item of items) if (item.id) await dispatcher.markHandled(item);
      metrics.consumedMessage(batch.topic, def.groupId, 'success', items.length);
      break;
    } catch (err) {
      metrics.handlerTime(batch.topic, def.groupId, (performance.now() - started) / 1000);
      if (signal.aborted) return;
      items = items.filter((i) => BigInt(i.ctx.offset) > resolved);
      if (!def.policy.shouldRetry(err, attempt)) {
        for (const item of items) await router.exhausted(item, err, attempt);
        break;
      }
      metrics.retried(batch.topic, def.groupId);
      if (!(await sleep(def.policy.delayMs(attempt), signal))) return;
      await heartbeat().catch(() => undefined);
    }
  }
  p.resolveOffset(last);
}
