import type { HealthIndicatorFunction } from '@nestjs/terminus';
import type { Cluster, Redis } from 'ioredis';

export interface KafkaHealthTarget {
  brokers: string[];
  clientId?: string;
}

export interface HealthModuleOptions {
  /** Route prefix of the endpoints: `/<path>`, `/<path>/live`, `/<path>/ready`. Default `health`. */
  path?: string;
  /** Budget of each indicator in ms. Default 2000. */
  timeoutMs?: number;
  /** Check this Redis (a client you own, or a URL) under the name `redis`. */
  redis?: Redis | Cluster | string;
  /** Check these Kafka brokers under the name `kafka`. */
  kafka?: KafkaHealthTarget;
  /** Check TypeORM's default DataSource (terminus' own indicator) under the name `database`. */
  typeorm?: boolean;
  /** More readiness checks by name, e.g. `{ payments_db: () => typeorm.pingCheck('payments_db') }`. */
  indicators?: Record<string, HealthIndicatorFunction>;
  /** After SIGTERM: how long readiness answers 503 while HTTP still serves. Default 5000. */
  drainMs?: number;
  /** Then: how long in-flight requests may take to finish before connections are cut. Default 10000. */
  shutdownTimeoutMs?: number;
}

export interface ResolvedHealthOptions {
  path: string;
  timeoutMs: number;
  drainMs: number;
  shutdownTimeoutMs: number;
}
