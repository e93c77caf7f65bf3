import { Injectable, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { KeelConfigError } from '@keel/core';
import { HealthModule } from '@keel/health';
import { DistributedLock, LockModule } from '@keel/lock';
import { LoggingModule } from '@keel/logging';
import { KafkaListener } from '@keel/messaging';
import { Counted, MetricsModule, Timed } from '@keel/metrics';
import { stackEnv, uniqueName } from '../support/stack-env';

// Each Keel decorator, on a provider of an app that lacks the decorator's module.
@Injectable()
class Captures {
  @DistributedLock({ key: 'capture:{0}' })
  capture(id: string): Promise<string> {
    return Promise.resolve(id);
  }
}

@Injectable()
class Settlements {
  @KafkaListener({ topics: ['settlements'], groupId: 'settlements' })
  async onSettlement(): Promise<void> {}
}

@Injectable()
class Refunds {
  @Timed()
  @Counted()
  async refund(): Promise<void> {}
}

const silent = () =>
  LoggingModule.forRoot({
    service: 'miswiring-test',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
const metrics = () =>
  MetricsModule.forRoot({ registry: new Registry(), defaultMetrics: false, httpMetrics: false });

async function bootError(imports: DynamicModule[], provider: unknown): Promise<Error | undefined> {
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({
      imports,
      providers: [provider as never],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await app?.close().catch(() => undefined);
  }
}

describe('a Keel decorator without its module fails the boot (e2e)', () => {
  it('@DistributedLock without LockModule: never runs unlocked', async () => {
    const err = await bootError([silent(), metrics()], Captures);
    expect(err).toBeInstanceOf(KeelConfigError);
    expect(err?.message).toContain(
      'Captures.capture() has @DistributedLock but LockModule (@keel/lock) is not imported: ' +
        'the method would run unlocked',
    );
  });

  it('@KafkaListener without MessagingModule: never silently not consuming', async () => {
    const err = await bootError([HealthModule.forRoot({})], Settlements);
    expect(err).toBeInstanceOf(KeelConfigError);
    expect(err?.message).toContain(
      'Settlements.onSettlement() has @KafkaListener but MessagingModule (@keel/messaging) is not imported',
    );
  });

  it('@Timed and @Counted without MetricsModule', async () => {
    const err = await bootError([silent()], Refunds);
    expect(err?.message).toContain('Refunds.refund() has @Timed but MetricsModule (@keel/metrics)');
    expect(err?.message).toContain(
      'Refunds.refund() has @Counted but MetricsModule (@keel/metrics)',
    );
  });

  it('boots when the module is there (real Redis)', async () => {
    const lock = LockModule.forRoot({
      redis: stackEnv.redisUrl,
      keyPrefix: `${uniqueName('keel:test:wiring')}:`,
    });
    expect(await bootError([silent(), lock], Captures)).toBeUndefined();
    expect(await bootError([silent(), metrics()], Refunds)).toBeUndefined();
  });
});

describe('MetricsModule imported twice fails the boot (e2e)', () => {
  it('names both imports instead of counting every request twice', async () => {
    const registry = new Registry();
    const twice = [
      MetricsModule.forRoot({ registry, service: 'payments', defaultMetrics: false }),
      MetricsModule.forRoot({ registry, service: 'ledger', defaultMetrics: false }),
    ];
    const err = await bootError(twice, Refunds);
    expect(err).toBeInstanceOf(KeelConfigError);
    expect(err?.message).toContain(
      'MetricsModule is imported twice in this application (first with service "payments", ' +
        'then with service "ledger"): every request would be counted twice',
    );
  });

  it('one forRoot imported from two places is one module and boots', async () => {
    const once = metrics();
    expect(await bootError([once, once], Refunds)).toBeUndefined();
  });
});
