import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import type { KafkaHealthTarget } from '../health.options';
import { loadPeer } from '../peer';
import { message, timed } from './timed-check';

/** Broker metadata through an admin client, with a timeout. Reports latency and broker count. */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private readonly admins = new Map<string, Admin>();

  constructor(private readonly indicators: HealthIndicatorService) {}

  async checkKafka(
    key: string,
    target: KafkaHealthTarget,
    timeoutMs = 2_000,
  ): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const id = target.brokers.join(',');
    let brokers = 0;
    try {
      const latencyMs = await timed(async () => {
        const admin = await this.admin(id, target, timeoutMs);
        brokers = (await admin.describeCluster()).brokers.length;
      }, timeoutMs);
      return session.up({ latencyMs, brokers });
    } catch (err) {
      // drop the client: the next check reconnects, e.g. to a restarted broker
      const stale = this.admins.get(id);
      this.admins.delete(id);
      void stale?.disconnect().catch(() => undefined);
      return session.down({ message: message(err) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.admins.values()].map((a) => a.disconnect().catch(() => undefined)));
    this.admins.clear();
  }

  private async admin(id: string, target: KafkaHealthTarget, timeoutMs: number): Promise<Admin> {
    let admin = this.admins.get(id);
    if (!admin) {
      const { Kafka, logLevel } = loadPeer<typeof import('kafkajs')>(
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        () => require('kafkajs'),
        'kafkajs',
        'the Kafka health check',
      );
      admin = new Kafka({
        clientId: target.clientId ?? 'keel-health',
        brokers: target.brokers,
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }).admin();
      this.admins.set(id, admin);
      await admin.connect();
    }
    return admin;
  }
}
