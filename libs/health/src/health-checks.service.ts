import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  KEEL_CONSUMER_STATUS,
  trackConnectionErrors,
  type KeelConsumerStatusSource,
} from '@keel/core/internal';
import {
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Cluster, Redis } from 'ioredis';
import { RESOLVED_HEALTH_OPTIONS } from './health.constants';
import { HEALTH_MODULE_OPTIONS } from './health.module-definition';
import type { HealthModuleOptions, ResolvedHealthOptions } from './health.options';
import { KafkaHealthIndicator } from './indicators/kafka.health';
import { RedisHealthIndicator } from './indicators/redis.health';
import { loadPeer } from './peer';

/** The readiness checks: the ones named in the options plus any registered at run time. */
@Injectable()
export class HealthChecks implements OnModuleInit, OnApplicationShutdown {
  private readonly checks = new Map<string, HealthIndicatorFunction>();
  private ownedRedis: Redis | undefined;
  private typeorm: TypeOrmHealthIndicator | undefined;

  constructor(
    @Inject(HEALTH_MODULE_OPTIONS) private readonly options: HealthModuleOptions,
    @Inject(RESOLVED_HEALTH_OPTIONS) resolved: ResolvedHealthOptions,
    redis: RedisHealthIndicator,
    kafka: KafkaHealthIndicator,
    indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(KEEL_CONSUMER_STATUS) consumers?: KeelConsumerStatusSource,
  ) {
    const timeout = resolved.timeoutMs;
    if (options.redis !== undefined) {
      const client =
        typeof options.redis === 'string' ? this.openRedis(options.redis, timeout) : options.redis;
      this.register('redis', () => redis.checkRedis('redis', client, timeout));
    }
    if (options.kafka) {
      const target = options.kafka;
      this.register('kafka', () => kafka.checkKafka('kafka', target, timeout));
    }
    if (options.typeorm) {
      // the indicator is resolved in onModuleInit; registered here to keep the checks' order
      this.register('database', () => this.typeorm!.pingCheck('database', { timeout }));
    }
    if (consumers) {
      // @keel/messaging is in the app: its consumers must be running for the app to be ready
      this.register('kafka_consumers', () => {
        const all = consumers.consumers();
        const notRunning = all.filter((c) => c.state !== 'running');
        const session = indicators.check('kafka_consumers');
        const detail = {
          consumers: all.map((c) => ({ listener: c.listener, groupId: c.groupId, state: c.state })),
        };
        return notRunning.length === 0 ? session.up(detail) : session.down(detail);
      });
    }
    for (const [name, fn] of Object.entries(options.indicators ?? {})) this.register(name, fn);
  }

  /**
   * Terminus' TypeORM indicator only when asked for: @nestjs/typeorm and typeorm are optional
   * peers, and the indicator's constructor checks for them (terminus 11 exits the process).
   */
  async onModuleInit(): Promise<void> {
    if (!this.options.typeorm) return;
    const usedFor = 'the TypeORM check (typeorm: true)';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loadPeer(() => require('@nestjs/typeorm'), '@nestjs/typeorm', usedFor);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loadPeer(() => require('typeorm'), 'typeorm', usedFor);
    this.typeorm = await this.moduleRef.resolve(TypeOrmHealthIndicator, undefined, {
      strict: false,
    });
  }

  /** Adds a readiness check (e.g. a lib reporting its consumers); replaces one of the same name. */
  register(name: string, check: HealthIndicatorFunction): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  all(): HealthIndicatorFunction[] {
    return [...this.checks.values()];
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  onApplicationShutdown(): void {
    this.ownedRedis?.disconnect();
  }

  private openRedis(url: string, timeoutMs: number): Redis | Cluster {
    const { Redis: RedisClient } = loadPeer<typeof import('ioredis')>(
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      () => require('ioredis'),
      'ioredis',
      'the Redis health check',
    );
    const client = new RedisClient(url, {
      lazyConnect: false,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: (n) => Math.min(n * 200, 1_000),
    });
    trackConnectionErrors(client); // reported by the check, with the address
    this.ownedRedis = client;
    return client;
  }
}
