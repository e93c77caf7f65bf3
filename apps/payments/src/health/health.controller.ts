import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CheckResult } from './dependency-check';
import { DependenciesService, DependencyName } from './dependencies.service';

const DEPENDENCIES: DependencyName[] = ['redis', 'kafka', 'mariadb'];

export interface HealthReport {
  status: 'ok' | 'error';
  down: DependencyName[];
  checks: Record<DependencyName, CheckResult>;
}

@Controller('health')
export class HealthController {
  constructor(private readonly dependencies: DependenciesService) {}

  /** 200 when Redis, Kafka and MariaDB all answer; 503 naming the ones that do not. */
  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const results = await Promise.all(DEPENDENCIES.map((d) => this.dependencies.check(d)));
    const checks = Object.fromEntries(DEPENDENCIES.map((d, i) => [d, results[i]])) as Record<
      DependencyName,
      CheckResult
    >;
    const down = DEPENDENCIES.filter((d) => checks[d].status === 'down');
    res.status(down.length ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status: down.length ? 'error' : 'ok', down, checks };
  }
}
