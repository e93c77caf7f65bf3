import { Counter, Gauge, Histogram, register as globalRegistry, Registry } from 'prom-client';

export type ConsumeOutcome = 'success' | 'duplicate' | 'retried' | 'dead-lettered' | 'dropped';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// Several apps in one process (tests) share a registry: reuse a metric that is already there.
export function metric<T>(
  registry: Registry,
  name: string,
  create: (registers: Registry[]) => T,
): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create([registry]);
}

/** keel_kafka_* metrics in a prom-client registry. */
export class MessagingMetrics {
  private readonly consumed: Counter<'topic' | 'group' | 'outcome'>;
  private readonly handler: Histogram<'topic' | 'group'>;
  private readonly retries: Counter<'topic' | 'group'>;
  private readonly dlt: Counter<'topic' | 'group'>;
  private readonly produced: Counter<'topic' | 'outcome'>;
  private readonly lag: Gauge<'topic' | 'partition' | 'group'>;
  // Called per message: prom-client's labels() hashes the values each time, so keep the children.
  private readonly consumedChildren = new Map<string, Counter.Internal>();
  private readonly handlerChildren = new Map<string, Histogram.Internal<'topic' | 'group'>>();

  constructor(registry: Registry = globalRegistry) {
    this.consumed = metric(registry, 'keel_kafka_consumed_total', (registers) => {
      return new Counter({
        name: 'keel_kafka_consumed_total',
        help: 'Consumed messages by outcome: success, duplicate, retried, dead-lettered, dropped.',
        labelNames: ['topic', 'group', 'outcome'],
        registers,
      });
    });
    this.handler = metric(registry, 'keel_kafka_handler_seconds', (registers) => {
      return new Histogram({
        name: 'keel_kafka_handler_seconds',
        help: 'Time in a listener handler, per attempt.',
        labelNames: ['topic', 'group'],
        buckets: BUCKETS,
        registers,
      });
    });
    this.retries = metric(registry, 'keel_kafka_retries_total', (registers) => {
      return new Counter({
        name: 'keel_kafka_retries_total',
        help: 'Failed attempts that were retried (blocking or through a retry topic).',
        labelNames: ['topic', 'group'],
        registers,
      });
    });
    this.dlt = metric(registry, 'keel_kafka_dlt_total', (registers) => {
      return new Counter({
        name: 'keel_kafka_dlt_total',
        help: 'Messages sent to a dead-letter topic.',
        labelNames: ['topic', 'group'],
        registers,
      });
    });
    this.produced = metric(registry, 'keel_kafka_produced_total', (registers) => {
      return new Counter({
        name: 'keel_kafka_produced_total',
        help: 'Produced messages by outcome: success or error.',
        labelNames: ['topic', 'outcome'],
        registers,
      });
    });
    this.lag = metric(registry, 'keel_kafka_consumer_lag', (registers) => {
      return new Gauge({
        name: 'keel_kafka_consumer_lag',
        help: 'Messages behind the high watermark after the last batch handled.',
        labelNames: ['topic', 'partition', 'group'],
        registers,
      });
    });
  }

  consumedMessage(topic: string, group: string, outcome: ConsumeOutcome, n = 1): void {
    const key = `${topic}\0${group}\0${outcome}`;
    let child = this.consumedChildren.get(key);
    if (!child)
      this.consumedChildren.set(key, (child = this.consumed.labels(topic, group, outcome)));
    child.inc(n);
  }

  handlerTime(topic: string, group: string, seconds: number): void {
    const key = `${topic}\0${group}`;
    let child = this.handlerChildren.get(key);
    if (!child) this.handlerChildren.set(key, (child = this.handler.labels(topic, group)));
    child.observe(seconds);
  }

  retried(topic: string, group: string): void {
    this.retries.labels(topic, group).inc();
  }

  deadLettered(topic: string, group: string): void {
    this.dlt.labels(topic, group).inc();
  }

  producedMessages(topic: string, outcome: 'success' | 'error', n: number): void {
    this.produced.labels(topic, outcome).inc(n);
  }

  consumerLag(topic: string, partition: number, group: string, lag: number): void {
    this.lag.labels(topic, String(partition), group).set(lag);
  }
}
