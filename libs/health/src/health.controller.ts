import { Controller, Get, HttpStatus, Logger, Res, Type } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { HealthChecks } from './health-checks.service';
import { HealthState } from './health-state.service';

function shuttingDown(phase: string): HealthCheckResult {
  const detail = { lifecycle: { status: 'down' as const, phase } };
  return { status: 'error', info: {}, error: detail, details: detail };
}

/** GET /<path>/live, /<path>/ready and /<path> (the full report). */
export function healthControllerFor(path: string): Type<unknown> {
  @Controller(path)
  class HealthController {
    private readonly logger = new Logger('KeelHealth');

    constructor(
      private readonly health: HealthCheckService,
      private readonly checks: HealthChecks,
      private readonly state: HealthState,
    ) {}

    /** The process answers: never checks external systems, so a Redis outage never restarts pods. */
    @Get('live')
    live(): HealthCheckResult {
      const detail = {
        process: {
          status: 'up' as const,
          pid: process.pid,
          uptimeSeconds: Math.round(process.uptime()),
        },
      };
      return { status: 'ok', info: detail, error: {}, details: detail };
    }

    /** Every registered indicator; 503 while starting or shutting down. */
    @Get('ready')
    @HealthCheck()
    async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
      if (this.state.phase !== 'ready') {
        res.status(HttpStatus.SERVICE_UNAVAILABLE);
        return shuttingDown(this.state.phase);
      }
      return this.check('ready');
    }

    /** The full report: every indicator plus the lifecycle phase. */
    @Get()
    @HealthCheck()
    async report(
      @Res({ passthrough: true }) res: Response,
    ): Promise<HealthCheckResult & { phase: string }> {
      const phase = this.state.phase;
      try {
        const result = await this.check('report');
        if (phase !== 'ready') res.status(HttpStatus.SERVICE_UNAVAILABLE);
        return { ...result, phase };
      } catch (err) {
        const body = (err as { getResponse?: () => HealthCheckResult }).getResponse?.();
        if (!body) throw err;
        res.status(HttpStatus.SERVICE_UNAVAILABLE);
        return { ...body, phase };
      }
    }

    // One line a failure, fields not text: what failed and why, for log queries and alerts.
    private async check(probe: string): Promise<HealthCheckResult> {
      try {
        return await this.health.check(this.checks.all());
      } catch (err) {
        const body = (err as { getResponse?: () => HealthCheckResult }).getResponse?.();
        if (body?.status === 'error') {
          const down = Object.keys(body.error ?? {});
          this.logger.error({
            msg: `health check failed: ${down.join(', ')}`,
            probe,
            down,
            error: body.error,
          });
        }
        throw err;
      }
    }
  }
  return HealthController;
}
