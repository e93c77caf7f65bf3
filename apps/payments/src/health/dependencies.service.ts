import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { createPool, Pool } from 'mysql2/promise';
import { PAYMENTS_CONFIG, PaymentsConfig } from '../config/payments.config';
import { CheckResult, timedCheck } from './dependency-check';

export type DependencyName = 'redis' | 'kafka' | 'mariadb';

/** The payments app's connections to Redis, Kafka and MariaDB, and a check of each. */
@Injectable()
export class DependenciesService implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  private readonly pool: Pool;

  constructor(@Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig) {
    const budget = config.healthTimeoutMs;
    this.redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      connectTimeout: budget,
      maxRetriesPerRequest: 1,
      // keep reconnecting in the background, never faster than every 1 s
      retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
    });
    this.redis.on('error', () => undefined); // reported through checks, not as unhandled events
    this.kafka = new Kafka({
      clientId: 'keel-payments-health',
      brokers: config.kafkaBrokers,
      connectionTimeout: budget,
      requestTimeout: budget,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    this.pool = createPool({ uri: config.mariadbUrl, connectionLimit: 2, connectTimeout: budget });
  }

  check(name: DependencyName): Promise<CheckResult> {
    const budget = this.config.healthTimeoutMs;
    switch (name) {
      case 'redis':
        return timedCheck(budget, () => this.pingRedis());
      case 'kafka':
        return timedCheck(budget, () => this.describeKafka());
      case 'mariadb':
        return timedCheck(budget, () => this.pool.query('SELECT 1'));
    }
  }

  private async pingRedis(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
    await this.redis.ping();
  }

  private async describeKafka(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      await this.admin.describeCluster();
    } catch (err) {
      // drop the admin so the next check reconnects to a restarted broker
      const stale = this.admin;
      this.admin = null;
      await stale?.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await this.admin?.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
