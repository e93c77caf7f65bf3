// A real app process for the graceful-shutdown test: GET /slow?ms=N answers after N ms.
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule } from '@keel/health';

@Controller()
class SlowController {
  @Get('slow')
  async slow(@Query('ms') ms: string): Promise<{ done: true }> {
    await new Promise((r) => setTimeout(r, Number(ms)));
    return { done: true };
  }
}

@Module({
  imports: [
    HealthModule.forRoot({
      drainMs: Number(process.env.DRAIN_MS ?? 1500),
      redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    }),
  ],
  controllers: [SlowController],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('LISTENING\n');
}

void main();
