import { Gauge, register as globalRegistry, Registry } from 'prom-client';
import { metric } from '../messaging.metrics';

function gauge(registry: Registry, name: string, help: string): Gauge<'table'> {
  return metric(
    registry,
    name,
    (registers) => new Gauge({ name, help, labelNames: ['table'], registers }),
  );
}

/** keel_outbox_* gauges, in the registry the messaging module uses. */
export class OutboxMetrics {
  private readonly pending: Gauge<'table'>;
  private readonly oldestAge: Gauge<'table'>;

  constructor(registry: Registry = globalRegistry) {
    this.pending = gauge(registry, 'keel_outbox_pending', 'Outbox rows not yet published.');
    this.oldestAge = gauge(
      registry,
      'keel_outbox_oldest_age_seconds',
      'Age of the oldest unpublished outbox row (0 when none).',
    );
  }

  update(table: string, pending: number, oldestCreatedAt: number | null, now: number): void {
    this.pending.labels(table).set(pending);
    this.oldestAge.labels(table).set(oldestCreatedAt === null ? 0 : (now - oldestCreatedAt) / 1000);
  }
}
