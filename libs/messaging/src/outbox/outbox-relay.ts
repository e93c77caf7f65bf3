import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { withinBudget } from '@keel/core';
import type { Message } from 'kafkajs';
import { KafkaProducer } from '../kafka.producer';
import { HEADER_MESSAGE_ID } from '../messaging.constants';
import type { OutboxRecord } from './outbox.entity';
import {
  DEFAULT_PUBLISH_TIMEOUT_MS,
  OUTBOX_METRICS,
  OUTBOX_STORE,
  RESOLVED_OUTBOX_OPTIONS,
} from './outbox.constants';
import type { OutboxMetrics } from './outbox.metrics';
import type { ResolvedOutboxOptions } from './outbox.options';
import { orderKey, type OutboxStore } from './outbox-store';

export interface RelayPass {
  /** Rows this pass locked. */
  claimed: number;
  /** Rows published and marked sent. */
  published: number;
  /** Rows whose publish failed; they stay pending for the next pass. */
  failed: number;
}

const MAX_BACKOFF_MS = 5_000;
const METRICS_EVERY_MS = 1_000;
const PURGE_EVERY_MS = 60_000;

/**
 * Publishes pending outbox rows in id order per key and marks them sent, in one transaction that
 * holds the rows' locks (FOR UPDATE SKIP LOCKED): relays never publish the same row at once, and
 * a crash before commit leaves the rows pending for the next pass. Kept over claim-commit-
 * publish-mark on purpose: ownership ends with the connection (no lease to time, so a slow relay
 * can never be overtaken and reorder a key); the locks are on outbox rows only, which the app's
 * inserts never wait for; and relay.publishTimeoutMs bounds how long the transaction stays open.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private loop: Promise<void> | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  private metricsAt = 0;
  private purgedAt = 0;

  constructor(
    @Inject(RESOLVED_OUTBOX_OPTIONS) private readonly options: ResolvedOutboxOptions,
    @Inject(OUTBOX_STORE) private readonly store: OutboxStore,
    @Inject(OUTBOX_METRICS) private readonly metrics: OutboxMetrics,
    private readonly producer: KafkaProducer,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.relay) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts polling (done at bootstrap unless `relay: false`). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops polling; resolves once the pass in flight has committed or rolled back. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** One pass: claim, publish what may go now, mark it sent, commit. */
  async runOnce(): Promise<RelayPass> {
    const { dataSource, relay } = this.options;
    const batchSize = relay ? relay.batchSize : 200;
    const publishTimeoutMs = relay ? relay.publishTimeoutMs : DEFAULT_PUBLISH_TIMEOUT_MS;
    // READ COMMITTED: no gap locks that would block the app's inserts, and fresh reads.
    return dataSource.transaction('READ COMMITTED', async (em) => {
      const rows = await this.store.claim(em, batchSize);
      if (rows.length === 0) return { claimed: 0, published: 0, failed: 0 };
      const blocked = await this.store.blockedFrom(em, rows);
      const ready = rows.filter((r) => {
        const from = r.key === null ? undefined : blocked.get(orderKey(r));
        return from === undefined || BigInt(r.id) < from;
      });
      const byTopic = new Map<string, OutboxRecord[]>();
      for (const r of ready) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      // Topics go in parallel; within one, a batch keeps each key's order in its partition.
      const groups = [...byTopic.entries()];
      const results = await Promise.allSettled(
        groups.map(([topic, group]) =>
          withinBudget(
            this.producer.sendRaw(
              topic,
              group.map((r) => this.toRecord(r)),
            ),
            publishTimeoutMs,
            () =>
              new Error(
                `Kafka did not take the batch for "${topic}" within relay.publishTimeoutMs ` +
                  `(${publishTimeoutMs} ms); the rows stay pending`,
              ),
          ),
        ),
      );
      const sent: string[] = [];
      let failed = 0;
      results.forEach((result, i) => {
        const group = groups[i][1];
        if (result.status === 'fulfilled') sent.push(...group.map((r) => r.id));
        else {
          failed += group.length;
          this.logger.warn(
            `publishing ${group.length} outbox rows failed: ${String(result.reason)}`,
          );
        }
      });
      await this.store.markSent(em, sent, Date.now());
      return { claimed: rows.length, published: sent.length, failed };
    });
  }

  /** Refreshes keel_outbox_pending and keel_outbox_oldest_age_seconds now. */
  async refreshMetrics(): Promise<void> {
    const { pending, oldestCreatedAt } = await this.store.stats();
    this.metrics.update(this.store.tableName, pending, oldestCreatedAt, Date.now());
  }

  private async run(): Promise<void> {
    const relay = this.options.relay || { pollIntervalMs: 250, batchSize: 200, retentionMs: 0 };
    let errors = 0;
    while (this.running) {
      let delay = relay.pollIntervalMs;
      try {
        const pass = await this.runOnce();
        await this.housekeeping(relay.retentionMs);
        errors = pass.failed > 0 ? errors + 1 : 0;
        if (pass.failed > 0) delay = this.backoff(errors, relay.pollIntervalMs);
        // A full batch means more is waiting: go again at once, unless nothing could go.
        else if (pass.claimed >= relay.batchSize && pass.published > 0) delay = 0;
      } catch (err) {
        errors++;
        delay = this.backoff(errors, relay.pollIntervalMs);
        this.logger.warn(`outbox pass failed (retry in ${delay} ms): ${String(err)}`);
      }
      if (delay > 0 && this.running) await this.sleep(delay);
    }
  }

  private async housekeeping(retentionMs: number): Promise<void> {
    const now = Date.now();
    if (now - this.metricsAt >= METRICS_EVERY_MS) {
      this.metricsAt = now;
      await this.refreshMetrics();
    }
    if (now - this.purgedAt >= PURGE_EVERY_MS) {
      this.purgedAt = now;
      await this.store.purge(now - retentionMs);
    }
  }

  private toRecord(row: OutboxRecord): Message {
    const headers = JSON.parse(row.headers) as Record<string, string>;
    // A stable id per row lets idempotent listeners drop the rare re-publish after a crash.
    headers[HEADER_MESSAGE_ID] ??= `${this.store.tableName}:${row.id}`;
    const value =
      row.payload === null
        ? null
        : row.encoding === 'base64'
          ? Buffer.from(row.payload, 'base64')
          : row.payload;
    return { key: row.key, value, headers, timestamp: row.createdAt };
  }

  private backoff(errors: number, base: number): number {
    return Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(errors, 10));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
