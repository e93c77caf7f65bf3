import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';

/** Creates retry and dead-letter topics that are missing, with the main topic's partitions. */
export class TopicProvisioner {
  private readonly logger = new Logger('KafkaTopics');
  private readonly known = new Set<string>();
  private readonly admins = new Set<Admin>();

  constructor(
    private readonly kafka: Kafka,
    private readonly replicationFactor: number | undefined,
  ) {}

  /** `topics` maps each wanted topic to the topic whose partition count it copies. */
  async ensure(topics: ReadonlyMap<string, string>): Promise<void> {
    const wanted = [...topics.keys()].filter((t) => !this.known.has(t));
    if (wanted.length === 0) return;
    const admin = this.kafka.admin();
    this.admins.add(admin);
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t));
      const sources = [...new Set(missing.map((t) => topics.get(t) as string))].filter((s) =>
        existing.has(s),
      );
      const partitions = new Map<string, number>();
      if (sources.length > 0) {
        const meta = await admin.fetchTopicMetadata({ topics: sources });
        for (const t of meta.topics) partitions.set(t.name, t.partitions.length);
      }
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: partitions.get(topics.get(topic) as string) ?? -1,
            replicationFactor: this.replicationFactor ?? -1,
          })),
        });
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
}
