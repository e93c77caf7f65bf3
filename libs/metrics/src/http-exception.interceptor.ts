import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { recordHttpException } from './http-exception';
import { RESOLVED_METRICS_OPTIONS } from './metrics.constants';
import type { ResolvedMetricsOptions } from './metrics.options';

/**
 * Global interceptor: names the error a handler threw on the response, because the HTTP
 * timer only sees the response once exception filters have turned the error into a status.
 */
@Injectable()
export class HttpExceptionInterceptor implements NestInterceptor {
  private readonly enabled: boolean;

  constructor(@Inject(RESOLVED_METRICS_OPTIONS) options: ResolvedMetricsOptions) {
    this.enabled = options.httpMetrics;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.enabled || context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<object>();
    return next.handle().pipe(tap({ error: (err: unknown) => recordHttpException(response, err) }));
  }
}
