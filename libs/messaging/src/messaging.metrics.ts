import {
  FastCounter,
  FastCounterChild,
  FastHistogram,
  FastHistogramChild,
  registerFastMetric,
} from '@keel/core/internal';
import { Gauge, register as globalRegistry, Registry } from 'prom-client';

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

export interface MessageSeries {
  handlerSeconds: FastHistogramChild;
  succeeded: FastCounterChild;
}

/** keel_kafka_* metrics in a prom-client registry (per-message ones as Keel fast metrics). */
export class MessagingMetrics {
  // a fast metric caches its label children: labels(...) on each call is one map lookup
  private readonly consumed: FastCounter;
  private readonly handler: FastHistogram;
  private readonly retries: FastCounter;
  private readonly dlt: FastCounter;
  private readonly produced: FastCounter;
  private readonly lag: Gauge<'topic' | 'partition' | 'group'>;
  private readonly running: Gauge<'listener' | 'group'>;

  constructor(registry: Registry = globalRegistry) {
    const counter = (name: string, help: string, labels: string[]): FastCounter =>
      registerFastMetric(registry, new FastCounter(name, help, labels));
    this.consumed = counter(
      'keel_kafka_consumed_total',
      'Consumed messages by outcome: success, duplicate, retried, dead-lettered, dropped.',
      ['topic', 'group', 'outcome'],
    );
    this.handler = registerFastMetric(
      registry,
      new FastHistogram(
        'keel_kafka_handler_seconds',
        'Time in a listener handler, per attempt.',
        ['topic', 'group'],
        BUCKETS,
      ),
    );
    this.retries = counter(
      'keel_kafka_retries_total',
      'Failed attempts that were retried (blocking or through a retry topic).',
      ['topic', 'group'],
    );
    this.dlt = counter('keel_kafka_dlt_total', 'Messages sent to a dead-letter topic.', [
      'topic',
      'group',
    ]);
    this.produced = counter(
      'keel_kafka_produced_total',
      'Produced messages by outcome: success or error.',
      ['topic', 'outcome'],
    );
    this.lag = metric(registry, 'keel_kafka_consumer_lag', (registers) => {
      return new Gauge({
        name: 'keel_kafka_consumer_lag',
        help: 'Messages behind the high watermark after the last batch handled.',
        labelNames: ['topic', 'partition', 'group'],
        registers,
      });
    });
    this.running = metric(registry, 'keel_kafka_consumer_running', (registers) => {
      return new Gauge({
        name: 'keel_kafka_consumer_running',
        help: "1 while the listener's consumer is in its group, 0 while it starts, restarts, failed or stopped.",
        labelNames: ['listener', 'group'],
        registers,
      });
    });
  }

  consumedMessage(topic: string, group: string, outcome: ConsumeOutcome, n = 1): void {
    this.consumed.labels(topic, group, outcome).inc(n);
  }

  /** A listener's per-message series for one topic: keep them, update them per message. */
  messageSeries(topic: string, group: string): MessageSeries {
    return {
      handlerSeconds: this.handler.labels(topic, group),
      succeeded: this.consumed.labels(topic, group, 'success'),
    };
  }

  handlerTime(topic: string, group: string, seconds: number): void {
    this.handler.labels(topic, group).observe(seconds);
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

  consumerRunning(listener: string, group: string, running: boolean): void {
    this.running.labels(listener, group).set(running ? 1 : 0);
  }

  consumerLag(topic: string, partition: number, group: string, lag: number): void {
    this.lag.labels(topic, String(partition), group).set(lag);
  }
}
