import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { createPool, Pool } from 'mysql2/promise';
import { withinBudget } from '@keel/core';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments.config';

/** MariaDB readiness: `SELECT 1` within the health budget, with its latency. */
@Injectable()
export class MariadbHealth implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.pool = createPool({
      uri: config.mariadbUrl,
      connectionLimit: 2,
      connectTimeout: config.healthTimeoutMs,
    });
  }

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('mariadb');
    const started = performance.now();
    const budgetMs = this.config.healthTimeoutMs;
    try {
      await withinBudget(
        this.pool.query('SELECT 1'),
        budgetMs,
        () => new Error(`no answer within ${budgetMs} ms`),
      );
      return session.up({ latencyMs: Math.round(performance.now() - started) });
    } catch (err) {
      return session.down({ message: err instanceof Error ? err.message : String(err) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
