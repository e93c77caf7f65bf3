import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Cluster, Redis } from 'ioredis';
import { connectionProblem } from '@keel/core/internal';
import { message, timed } from './timed-check';

/** PING with a timeout; for a Cluster, every master must answer. Reports latency in ms. */
@Injectable()
export class RedisHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async checkRedis(
    key: string,
    client: Redis | Cluster,
    timeoutMs = 2_000,
  ): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      const cluster = 'nodes' in client && typeof client.nodes === 'function' ? client : undefined;
      const latencyMs = await timed(async () => {
        if (cluster) await Promise.all(cluster.nodes('master').map((n) => n.ping()));
        else await client.ping();
      }, timeoutMs);
      return session.up({
        latencyMs,
        ...(cluster ? { masters: cluster.nodes('master').length } : {}),
      });
    } catch (err) {
      // the address and why (ioredis' own text leaves both out), never the password
      const where = connectionProblem(client);
      return session.down({ message: where ? `${message(err)}; ${where}` : message(err) });
    }
  }
}
