import 'reflect-metadata';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KeelConfigError } from './core.errors';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { createKeelDecorator } from './keel-decorator';
import { KeelCoreModule } from './keel-core.module';

const GUARDED = 'test:wiring:guarded';
const OWNED_TOO = 'test:wiring:owned-too';
const UNOWNED = 'test:wiring:unowned';
const owner = (decorator: string, module: string) => ({
  decorator,
  module,
  from: '@keel/test',
  withoutIt: 'the method would run unguarded',
});
const Guarded = () => createKeelDecorator(GUARDED, {}, owner('@Guarded', 'GuardModule'));
const OwnedToo = () => createKeelDecorator(OWNED_TOO, {}, owner('@OwnedToo', 'OtherModule'));
const Unowned = () => createKeelDecorator(UNOWNED, {});

@Injectable()
class PaymentsService {
  @Guarded()
  capture(): string {
    return 'captured';
  }

  @OwnedToo()
  @Guarded()
  refund(): string {
    return 'refunded';
  }

  @Unowned()
  audit(): string {
    return 'audited';
  }
}

/** What a lib's explorer does: look for its decorator. */
@Injectable()
class GuardExplorer implements OnModuleInit {
  constructor(private readonly discovery: HandlerDiscoveryService) {}
  onModuleInit(): void {
    this.discovery.findMethods(GUARDED);
  }
}

@Injectable()
class OtherExplorer implements OnModuleInit {
  constructor(private readonly discovery: HandlerDiscoveryService) {}
  onModuleInit(): void {
    this.discovery.findMethods(OWNED_TOO);
  }
}

@Module({ imports: [KeelCoreModule], providers: [GuardExplorer] })
class GuardModule {}

@Module({ imports: [KeelCoreModule], providers: [OtherExplorer] })
class OtherModule {}

async function boot(imports: unknown[]): Promise<() => Promise<void>> {
  const moduleRef = await Test.createTestingModule({
    imports: imports as never[],
    providers: [PaymentsService],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  return () => app.close();
}

describe('KeelWiringCheck: a Keel decorator without its module fails the boot', () => {
  it('names every method, its decorator and the missing module', async () => {
    const failure = boot([KeelCoreModule]);
    await expect(failure).rejects.toBeInstanceOf(KeelConfigError);
    const message = await failure.then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toContain(
      'PaymentsService.capture() has @Guarded but GuardModule (@keel/test) is not imported: ' +
        'the method would run unguarded',
    );
    expect(message).toContain('PaymentsService.refund() has @Guarded but GuardModule');
    expect(message).toContain('PaymentsService.refund() has @OwnedToo but OtherModule');
    expect(message).not.toContain('audit');
  });

  it('names only what is missing when one of two modules is imported', async () => {
    const failure = boot([GuardModule]);
    const message = await failure.then(
      () => 'booted',
      (err: Error) => err.message,
    );
    expect(message).toContain('PaymentsService.refund() has @OwnedToo but OtherModule');
    expect(message).not.toContain('has @Guarded');
  });

  it('boots when every owner module is imported, and ignores decorators without an owner', async () => {
    const close = await boot([GuardModule, OtherModule]);
    await close();
  });
});
