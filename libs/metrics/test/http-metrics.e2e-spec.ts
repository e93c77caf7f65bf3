import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  HttpException,
  UseFilters,
  ForbiddenException,
  Get,
  INestApplication,
  NotFoundException,
  Param,
  UseGuards,
  type CanActivate,
} from '@nestjs/common';
import request from 'supertest';
import type { Response } from 'express';
import { recordHttpException, Timed } from '@keel/metrics';
import { bootMetricsApp, samples, type MetricsApp } from './support/metrics-app';

class DenyAll implements CanActivate {
  canActivate(): boolean {
    throw new ForbiddenException('no');
  }
}

class PaymentDeclinedError extends Error {}

/** An app's own filter can name errors Keel's interceptor cannot see (guards run before it). */
@Catch(HttpException)
class NamingFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    recordHttpException(res, exception);
    res.status(exception.getStatus()).json({ message: exception.message });
  }
}

@Controller('payments')
class PaymentsController {
  @Get(':id')
  @Timed()
  get(@Param('id') id: string): { id: string } {
    if (id === 'missing') throw new NotFoundException(`payment ${id}`);
    if (id === 'boom') throw new PaymentDeclinedError('declined');
    return { id };
  }

  @Get(':id/refunds')
  @UseGuards(DenyAll)
  refunds(): string[] {
    return [];
  }

  @Get(':id/captures')
  @UseGuards(DenyAll)
  @UseFilters(NamingFilter)
  captures(): string[] {
    return [];
  }
}

describe('HTTP server metrics (e2e)', () => {
  let ctx: MetricsApp;

  beforeAll(async () => {
    ctx = await bootMetricsApp(
      { prefix: 'keel' },
      { controllers: [PaymentsController] },
      (app: INestApplication) => app.setGlobalPrefix('api', { exclude: ['metrics'] }),
    );
  });
  afterAll(() => ctx.app.close());

  const scrape = async (): Promise<string> => {
    const res = await request(ctx.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.text;
  };

  it('labels a request with the route template, never the raw URL', async () => {
    await request(ctx.url).get('/api/payments/123').expect(200, { id: '123' });
    await request(ctx.url).get('/api/payments/456').expect(200);
    const lines = samples(await scrape(), 'keel_http_server_requests_seconds_count');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^keel_http_server_requests_seconds_count\{method="GET",route="\/api\/payments\/:id",status="200",outcome="SUCCESS",exception="none"\} 2$/,
      ),
    );
    expect(lines.join('\n')).not.toContain('/123');
    expect(lines.join('\n')).not.toContain('/456');
  });

  it('counts a request that matches no route under UNMATCHED', async () => {
    await request(ctx.url).get('/nowhere/42').expect(404);
    await request(ctx.url).get('/api/nowhere/43').expect(404);
    const lines = samples(await scrape(), 'keel_http_server_requests_seconds_count');
    expect(lines).toContainEqual(
      'keel_http_server_requests_seconds_count{method="GET",route="UNMATCHED",status="404",outcome="CLIENT_ERROR",exception="none"} 2',
    );
    expect(lines.join('\n')).not.toContain('nowhere');
  });

  it('names a thrown HttpException and an unhandled error', async () => {
    await request(ctx.url).get('/api/payments/missing').expect(404);
    await request(ctx.url).get('/api/payments/boom').expect(500);
    const lines = samples(await scrape(), 'keel_http_server_requests_seconds_count');
    expect(lines).toContainEqual(
      'keel_http_server_requests_seconds_count{method="GET",route="/api/payments/:id",status="404",outcome="CLIENT_ERROR",exception="NotFoundException"} 1',
    );
    expect(lines).toContainEqual(
      'keel_http_server_requests_seconds_count{method="GET",route="/api/payments/:id",status="500",outcome="SERVER_ERROR",exception="PaymentDeclinedError"} 1',
    );
  });

  it('counts a guard rejection under its route, named when a filter records it', async () => {
    await request(ctx.url).get('/api/payments/7/refunds').expect(403);
    await request(ctx.url).get('/api/payments/7/captures').expect(403);
    const lines = samples(await scrape(), 'keel_http_server_requests_seconds_count');
    expect(lines).toContainEqual(
      'keel_http_server_requests_seconds_count{method="GET",route="/api/payments/:id/refunds",status="403",outcome="CLIENT_ERROR",exception="none"} 1',
    );
    expect(lines).toContainEqual(
      'keel_http_server_requests_seconds_count{method="GET",route="/api/payments/:id/captures",status="403",outcome="CLIENT_ERROR",exception="ForbiddenException"} 1',
    );
  });

  it('times a @Timed controller method that still routes', async () => {
    const text = await scrape();
    expect(samples(text, 'keel_method_timed_seconds_count')).toEqual(
      expect.arrayContaining([
        'keel_method_timed_seconds_count{class="PaymentsController",method="get",outcome="SUCCESS",exception="none"} 2',
        'keel_method_timed_seconds_count{class="PaymentsController",method="get",outcome="ERROR",exception="NotFoundException"} 1',
        'keel_method_timed_seconds_count{class="PaymentsController",method="get",outcome="ERROR",exception="PaymentDeclinedError"} 1',
      ]),
    );
  });

  it('labels the scrape endpoint with its own route', async () => {
    await scrape();
    const lines = samples(await scrape(), 'keel_http_server_requests_seconds_count');
    expect(lines).toContainEqual(expect.stringContaining('route="/metrics",status="200"'));
  });
});
