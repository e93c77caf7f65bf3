import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { LockModule, LockModuleOptions, LockService } from '@keel/lock';
import { stackEnv } from '../../../../test/support/stack-env';

export const REDIS_URL = stackEnv.redisUrl;

export interface LockApp {
  app: INestApplication;
  locks: LockService;
  registry: Registry;
  keyPrefix: string;
}

/** A Nest application context with LockModule on the real Redis and a private metrics registry. */
export async function bootLockApp(
  options: Partial<LockModuleOptions> = {},
  metadata: ModuleMetadata = {},
): Promise<LockApp> {
  const registry = new Registry();
  const keyPrefix = `keel:test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
  const moduleRef = await Test.createTestingModule({
    imports: [
      LockModule.forRoot({
        redis: REDIS_URL,
        keyPrefix,
        registry,
        ...options,
      }),
      ...(metadata.imports ?? []),
    ],
    providers: metadata.providers ?? [],
    controllers: metadata.controllers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, locks: app.get(LockService), registry, keyPrefix: options.keyPrefix ?? keyPrefix };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { metricValue } from '../../../../test/support/metric-value';
