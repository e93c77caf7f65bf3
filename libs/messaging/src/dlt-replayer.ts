import {
  Partitioners,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  type Message,
  type Producer,
} from 'kafkajs';
import { DLT_HEADERS } from './dead-letter';

export const HEADER_REPLAYED_FROM = 'keel-replayed-from';

export interface DltReplayOptions {
  /** First offset to read in each partition. Default: the earliest kept. */
  fromOffset?: number;
  /** Replay at most this many messages. Default: all up to the end seen at the start. */
  limit?: number;
}

export interface DltReplaySummary {
  dltTopic: string;
  /** Messages read from the DLT. */
  read: number;
  /** Messages re-published, per original topic. */
  replayed: Record<string, number>;
  /** Messages without a `keel-original-topic` header (left alone). */
  skipped: number;
}

/**
 * Re-publishes dead-lettered messages to their original topic with their original key, value
 * and headers; the `keel-*` failure headers are dropped and `keel-replayed-from` says where from.
 */
export class DltReplayer {
  constructor(private readonly kafka: Kafka) {}

  async replay(dltTopic: string, options: DltReplayOptions = {}): Promise<DltReplaySummary> {
    const summary: DltReplaySummary = { dltTopic, read: 0, replayed: {}, skipped: 0 };
    const limit = options.limit ?? Infinity;
    const ranges = await this.ranges(dltTopic, options.fromOffset);
    if (limit <= 0 || ranges.size === 0) return summary;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    // A throwaway group that never commits: replaying twice reads the same messages again.
    const consumer = this.kafka.consumer({
      groupId: `keel-dlt-replay-${process.pid}-${Date.now()}`,
    });
    await producer.connect();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: dltTopic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const finish = () => (ranges.size === 0 || summary.read >= limit ? resolve() : undefined);
        // kafkajs restarts after a retriable crash; any other leaves the consumer stopped
        consumer.on(consumer.events.CRASH, (e) => {
          if (!e.payload.restart) reject(e.payload.error);
        });
        consumer
          .run({
            autoCommit: false,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch }) => {
              const range = ranges.get(batch.partition);
              if (range === undefined || summary.read >= limit) return;
              const take = batch.messages
                .filter((m) => Number(m.offset) >= range.start && Number(m.offset) < range.end)
                .slice(0, limit - summary.read);
              await this.republish(producer, dltTopic, batch.partition, take, summary);
              if (Number(batch.lastOffset()) + 1 >= range.end) ranges.delete(batch.partition);
              finish();
            },
          })
          .catch(reject);
        for (const [partition, range] of ranges) {
          consumer.seek({ topic: dltTopic, partition, offset: String(range.start) });
        }
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
    return summary;
  }

  /** Per partition with something to read: [start, end) with end the high watermark now. */
  private async ranges(
    topic: string,
    from?: number,
  ): Promise<Map<number, { start: number; end: number }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      const out = new Map<number, { start: number; end: number }>();
      for (const p of offsets) {
        const start = Math.max(Number(p.low), from ?? 0);
        if (start < Number(p.high)) out.set(p.partition, { start, end: Number(p.high) });
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  private async republish(
    producer: Producer,
    dltTopic: string,
    partition: number,
    messages: KafkaMessage[],
    summary: DltReplaySummary,
  ): Promise<void> {
    // Consecutive messages to the same topic go in one request, in DLT order.
    let run: { topic: string; records: Message[] } | undefined;
    const flush = async () => {
      if (!run) return;
      await producer.send({ topic: run.topic, messages: run.records, acks: -1 });
      summary.replayed[run.topic] = (summary.replayed[run.topic] ?? 0) + run.records.length;
      run = undefined;
    };
    for (const m of messages) {
      summary.read++;
      const original = m.headers?.[DLT_HEADERS.originalTopic];
      const topic =
        original === undefined
          ? undefined
          : String(Array.isArray(original) ? original[0] : original);
      if (!topic) {
        summary.skipped++;
        continue;
      }
      if (run && run.topic !== topic) await flush();
      run ??= { topic, records: [] };
      run.records.push({
        key: m.key,
        value: m.value,
        headers: replayHeaders(m.headers, `${dltTopic}:${partition}:${m.offset}`),
      });
    }
    await flush();
  }
}

/** The original headers: without Keel's failure headers, plus where the replay came from. */
export function replayHeaders(headers: IHeaders | undefined, from: string): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!name.startsWith('keel-') && value !== undefined) out[name] = value;
  }
  out[HEADER_REPLAYED_FROM] = from;
  return out;
}
