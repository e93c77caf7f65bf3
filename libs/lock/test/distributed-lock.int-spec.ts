import {
  CallHandler,
  Controller,
  ExecutionContext,
  Injectable,
  Module,
  NestInterceptor,
  OnModuleInit,
  Param,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { Observable, tap } from 'rxjs';
import {
  createKeelDecorator,
  KeelConfigError,
  KeelCoreModule,
  KeyResolutionError,
  KeyTemplateError,
} from '@keel/core';
import { HandlerDiscoveryService, KeelMethodRegistry } from '@keel/core/internal';
import { DistributedLock, LockModule, LockNotAcquiredError, LockService } from '@keel/lock';
import { bootLockApp, LockApp, metricValue, REDIS_URL, sleep } from './support/lock-app';

// A second Keel decorator, to prove composition: it records whether the lock is held around it.
const PROBE = 'test:probe';
const Probe = (): MethodDecorator => createKeelDecorator(PROBE, {});
const probeLog: string[] = [];

@Injectable()
class ProbeExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly registry: KeelMethodRegistry,
    private readonly locks: LockService,
  ) {}
  onModuleInit(): void {
    for (const h of this.discovery.findMethods(PROBE)) {
      this.registry.addLayer(h, (next) => (...args: unknown[]) => {
        probeLog.push(`${h.methodName}:${this.locks.current() ? 'inside' : 'outside'}`);
        return next(...args);
      });
    }
  }
}

@Module({ imports: [KeelCoreModule], providers: [ProbeExplorer] })
class ProbeModule {}

interface Order {
  merchantId: string;
  orderId: string;
}

@Injectable()
class Payments {
  active = 0;
  maxActive = 0;
  constructor(private readonly locks: LockService) {}

  @DistributedLock({ key: 'capture:{0}' })
  async capture(_paymentId: string, ms: number): Promise<number> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await sleep(ms);
    this.active--;
    return this.locks.current()!.fencingToken;
  }

  @DistributedLock({ key: 'order:{0.merchantId}:{0.orderId}' })
  settle(order: Order): string {
    return `settled ${order.orderId} fence ${this.locks.current(`order:${order.merchantId}:${order.orderId}`)!.fencingToken}`;
  }

  @DistributedLock({ key: 'skip:{0}', onBusy: 'skip' })
  async maybe(id: string, ms: number): Promise<string> {
    await sleep(ms);
    return `ran ${id}`;
  }

  @DistributedLock({ key: 'throw:{0}', onBusy: 'throw' })
  async strict(id: string, ms: number): Promise<string> {
    await sleep(ms);
    return `ran ${id}`;
  }

  @DistributedLock({ key: (from: string, to: string) => [`acct:${from}`, `acct:${to}`] })
  transfer(from: string, _to: string): string[] {
    return [...this.locks.current(`acct:${from}`)!.keys];
  }

  @Probe()
  @DistributedLock({ key: 'probe:{0}' })
  async probedOutside(_id: string): Promise<void> {}

  @DistributedLock({ key: 'probe:{0}' })
  @Probe()
  async probedInside(_id: string): Promise<void> {}
}

class Audit implements NestInterceptor {
  static calls = 0;
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(tap(() => Audit.calls++));
  }
}

@Controller('payments')
class PaymentsController {
  constructor(private readonly locks: LockService) {}

  @Post(':id/refund')
  @UseInterceptors(Audit)
  @DistributedLock({ key: 'refund:{0}', onBusy: 'throw' })
  async refund(@Param('id') id: string): Promise<{ id: string; fence: number }> {
    await sleep(50);
    return { id, fence: this.locks.current()!.fencingToken };
  }
}

describe('@DistributedLock on real Redis (integration)', () => {
  let ctx: LockApp;
  let payments: Payments;

  beforeAll(async () => {
    ctx = await bootLockApp(
      { waitMs: 5_000 },
      { imports: [ProbeModule], providers: [Payments], controllers: [PaymentsController] },
    );
    payments = ctx.app.get(Payments);
  });
  afterAll(() => ctx.app.close());

  it('serialises calls on the same key and lets other keys run in parallel', async () => {
    payments.maxActive = 0;
    const tokens = await Promise.all([1, 2, 3, 4].map(() => payments.capture('p-1', 30)));
    expect(payments.maxActive).toBe(1);
    expect(new Set(tokens).size).toBe(4);
    payments.maxActive = 0;
    await Promise.all(['a', 'b', 'c'].map((id) => payments.capture(id, 60)));
    expect(payments.maxActive).toBe(3);
    expect(
      await metricValue(ctx.registry, 'keel_lock_acquire_total', {
        name: 'Payments.capture',
        result: 'acquired',
      }),
    ).toBe(7);
  });

  it('resolves property paths of arguments and works on a sync method (which becomes async)', async () => {
    const result = payments.settle({ merchantId: 'm-9', orderId: 'o-1' });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toMatch(/^settled o-1 fence \d+$/);
  });

  it('fails the call with KeyResolutionError when the argument path is missing at run time', async () => {
    await expect(payments.settle({ merchantId: 'm-9' } as Order)).rejects.toThrow(
      KeyResolutionError,
    );
  });

  it('onBusy skip resolves undefined; onBusy throw rejects with LockNotAcquiredError', async () => {
    const [first, second] = await Promise.all([
      payments.maybe('x', 100),
      sleep(20).then(() => payments.maybe('x', 1)),
    ]);
    expect(first).toBe('ran x');
    expect(second).toBeUndefined();
    const running = payments.strict('y', 100);
    await sleep(20);
    await expect(payments.strict('y', 1)).rejects.toThrow(LockNotAcquiredError);
    await expect(running).resolves.toBe('ran y');
  });

  it('takes the keys of a key function all together, sorted', async () => {
    await expect(payments.transfer('b-2', 'a-1')).resolves.toEqual(['acct:a-1', 'acct:b-2']);
  });

  it('composes with another Keel decorator in decorator order', async () => {
    probeLog.length = 0;
    await payments.probedOutside('1');
    await payments.probedInside('2');
    expect(probeLog).toEqual(['probedOutside:outside', 'probedInside:inside']);
  });

  it('still routes a @Post() controller method, runs its interceptor, and locks it', async () => {
    const server = ctx.app.getHttpServer() as Server;
    const before = Audit.calls;
    const [a, b] = await Promise.all([
      request(server).post('/payments/r-1/refund'),
      sleep(15).then(() => request(server).post('/payments/r-1/refund')),
    ]);
    expect(a.status).toBe(201);
    expect((a.body as { id: string }).id).toBe('r-1');
    // the second one found it busy (onBusy: throw): not a 201, not run twice
    expect(b.status).toBe(500);
    expect(Audit.calls - before).toBe(1);
  });
});

describe('@DistributedLock bad input fails the boot (integration)', () => {
  async function bootWith(cls: new (...a: never[]) => unknown): Promise<unknown> {
    const moduleRef = await Test.createTestingModule({
      imports: [LockModule.forRoot({ redis: REDIS_URL })],
      providers: [cls],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      return undefined;
    } catch (err) {
      return err;
    } finally {
      await app.close().catch(() => undefined);
    }
  }

  it('an argument path that does not exist names class, method and template', async () => {
    @Injectable()
    class BadPath {
      @DistributedLock({ key: 'payment:{2}' })
      async pay(_id: string): Promise<void> {}
    }
    const err = await bootWith(BadPath);
    expect(err).toBeInstanceOf(KeyTemplateError);
    expect(String((err as Error).message)).toMatch(/BadPath\.pay/);
    expect(String((err as Error).message)).toContain('payment:{2}');
  });

  it('an empty key template', async () => {
    @Injectable()
    class EmptyKey {
      @DistributedLock({ key: '' })
      async pay(): Promise<void> {}
    }
    const err = await bootWith(EmptyKey);
    expect(err).toBeInstanceOf(KeyTemplateError);
    expect(String((err as Error).message)).toMatch(/empty/);
  });

  it('leaseMs <= 0', async () => {
    @Injectable()
    class BadLease {
      @DistributedLock({ key: 'k:{0}', leaseMs: 0 })
      async pay(_id: string): Promise<void> {}
    }
    const err = await bootWith(BadLease);
    expect(err).toBeInstanceOf(KeelConfigError);
    expect(String((err as Error).message)).toMatch(/BadLease\.pay\(\): leaseMs must be/);
  });

  it('module options: neither redis nor nodes, and a negative waitMs', async () => {
    const boot = async (opts: object): Promise<unknown> =>
      Test.createTestingModule({ imports: [LockModule.forRoot(opts)] })
        .compile()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    expect(String(await boot({}))).toMatch(/exactly one of `redis`/);
    expect(String(await boot({ redis: REDIS_URL, waitMs: -1 }))).toMatch(/waitMs must be/);
    expect(String(await boot({ nodes: [REDIS_URL] }))).toMatch(/at least 3/);
  });
});
