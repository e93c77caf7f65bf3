import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { MetricsModule, type MetricsModuleOptions } from '@keel/metrics';

export interface MetricsApp {
  app: INestApplication;
  registry: Registry;
  warnings: string[];
  /** Base URL of the app's HTTP server (random port on loopback). */
  url: string;
}

/** Keeps warnings, drops the rest, so tests can read what the lib warned about. */
class CapturingLogger implements LoggerService {
  constructor(readonly warnings: string[]) {}
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

/** A Nest HTTP app with MetricsModule on a private registry, listening on a random port. */
export async function bootMetricsApp(
  options: MetricsModuleOptions = {},
  metadata: ModuleMetadata = {},
  setup: (app: INestApplication) => void = () => undefined,
): Promise<MetricsApp> {
  const registry = new Registry();
  const moduleRef = await Test.createTestingModule({
    imports: [
      MetricsModule.forRoot({ registry, defaultMetrics: false, ...options }),
      ...(metadata.imports ?? []),
    ],
    providers: metadata.providers ?? [],
    controllers: metadata.controllers ?? [],
  }).compile();
  const warnings: string[] = [];
  const app = moduleRef.createNestApplication({ logger: new CapturingLogger(warnings) });
  setup(app);
  await app.listen(0, '127.0.0.1');
  return { app, registry, warnings, url: await app.getUrl() };
}

/** Lines of a Prometheus text exposition that belong to `name` (its samples, not HELP/TYPE). */
export function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(name) && !line.startsWith('#'));
}
