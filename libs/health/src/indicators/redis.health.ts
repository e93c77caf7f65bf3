import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Cluster, Redis } from 'ioredis';
import { message, timed } from './timed-check';

const lastErrors = new WeakMap<object, Error>();

/** Remembers a client's last connection error (for clients Keel opened), for a down report. */
export function trackRedisErrors(client: Redis | Cluster): void {
  client.on('error', (err: Error) => lastErrors.set(client, err));
}

// "Redis at 127.0.0.1:6390 is reconnecting (connect ECONNREFUSED 127.0.0.1:6390)": the address
// and why, which ioredis' own "max retries per request" text leaves out; never the password.
function connection(client: Redis | Cluster): string | undefined {
  if (client.status === 'ready') return undefined;
  const address =
    'nodes' in client && typeof client.nodes === 'function'
      ? 'the cluster'
      : `${(client as Redis).options.host ?? '127.0.0.1'}:${(client as Redis).options.port ?? 6379}`;
  const last = lastErrors.get(client);
  return `Redis at ${address} is ${client.status}${last ? ` (${last.message})` : ''}`;
}

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
      const where = connection(client);
      return session.down({ message: where ? `${message(err)}; ${where}` : message(err) });
    }
  }
}
