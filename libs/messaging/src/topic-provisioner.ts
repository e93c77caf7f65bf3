import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';

/** How a topic is created when missing: with its own partitions, or copying another topic's. */
export type TopicSpec =
  | { readonly partitions: number; readonly replicationFactor: number | undefined }
  | { readonly copyFrom: string };

/**
 * Creates missing topics before the listeners start: main topics asked for with `provision`,
 * and retry and dead-letter topics with their main topic's partitions.
 */
export class TopicProvisioner {
  private readonly logger = new Logger('KafkaTopics');
  private readonly known = new Set<string>();
  private readonly admins = new Set<Admin>();

  constructor(
    private readonly kafka: Kafka,
    private readonly replicationFactor: number | undefined,
  ) {}

  async ensure(topics: ReadonlyMap<string, TopicSpec>): Promise<void> {
    const wanted = [...topics.keys()].filter((t) => !this.known.has(t));
    if (wanted.length === 0) return;
    const admin = this.kafka.admin();
    this.admins.add(admin);
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t));
      const partitions = await this.partitionsOfSources(admin, topics, missing, existing);
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => {
            const spec = topics.get(topic) as TopicSpec;
            const own = 'partitions' in spec ? spec : undefined;
            return {
              topic,
              numPartitions:
                own?.partitions ?? partitions.get((spec as { copyFrom: string }).copyFrom) ?? -1,
              replicationFactor: own?.replicationFactor ?? this.replicationFactor ?? -1,
            };
          }),
        });
        // a consumer that fetches before the broker's metadata lists the new partitions logs
        // "does not host this topic-partition": wait until every one has a leader
        await this.untilLeaders(admin, missing);
        this.logger.log(`Created ${missing.join(', ')}`);
      }
      for (const t of wanted) this.known.add(t);
    } finally {
      this.admins.delete(admin);
      await admin.disconnect();
    }
  }

  /** Ends any provisioning still trying to reach the broker (at shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.admins].map((a) => a.disconnect().catch(() => undefined)));
  }

  // partitions of the topics that missing ones copy: existing ones from the broker, ones being
  // created now from their own spec
  private async partitionsOfSources(
    admin: Admin,
    topics: ReadonlyMap<string, TopicSpec>,
    missing: readonly string[],
    existing: ReadonlySet<string>,
  ): Promise<Map<string, number>> {
    const partitions = new Map<string, number>();
    const sources = new Set<string>();
    for (const t of missing) {
      const spec = topics.get(t) as TopicSpec;
      if (!('copyFrom' in spec)) continue;
      const source = topics.get(spec.copyFrom);
      if (source && 'partitions' in source && !existing.has(spec.copyFrom)) {
        partitions.set(spec.copyFrom, source.partitions);
      } else if (existing.has(spec.copyFrom)) sources.add(spec.copyFrom);
    }
    if (sources.size > 0) {
      const meta = await admin.fetchTopicMetadata({ topics: [...sources] });
      for (const t of meta.topics) partitions.set(t.name, t.partitions.length);
    }
    return partitions;
  }

  private async untilLeaders(admin: Admin, topics: readonly string[]): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (
        meta.topics.every(
          (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
        )
      ) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
