import 'reflect-metadata';
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  type INestApplication,
  Logger,
  Module,
  type OnModuleInit,
  Post,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { MethodLayer } from './discovered-method';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { createKeelDecorator } from './keel-decorator';
import { KeelCoreModule } from './keel-core.module';
import { getOriginalMethod, isTrampoline } from './method-chain';
import { KeelMethodRegistry } from './method-registry.service';

const TRACED = 'test:traced';
const AUDITED = 'test:audited';
const Traced = (label: string) => createKeelDecorator(TRACED, { label });
const Audited = () => createKeelDecorator(AUDITED, { label: 'audit' });

/** Per-app record of what ran, so two apps in one process can be told apart. */
@Injectable()
class CallLog {
  readonly entries: string[] = [];
  readonly handlersSeenByGuard: unknown[] = [];
}

@Injectable()
class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly log: CallLog,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    this.log.handlersSeenByGuard.push(context.getHandler());
    const roles = this.reflector.get<string[] | undefined>('roles', context.getHandler());
    if (!roles) return true;
    const role = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers[
      'x-role'
    ];
    return roles.includes(role);
  }
}

@Controller('payments')
class PaymentsController {
  constructor(private readonly log: CallLog) {}

  @Post('capture')
  @UseGuards(RolesGuard)
  @SetMetadata('roles', ['admin'])
  @Traced('capture')
  async capture(@Body() body: { id: string }): Promise<{ captured: string; via: string[] }> {
    await Promise.resolve();
    this.log.entries.push(`capture:${body.id}`);
    return { captured: body.id, via: [] };
  }

  @Post('traced-outside')
  @Traced('traced')
  @Audited()
  tracedOutside(): { via: string[] } {
    this.log.entries.push('body');
    return { via: [] };
  }

  @Post('audited-outside')
  @Audited()
  @Traced('traced')
  auditedOutside(): { via: string[] } {
    this.log.entries.push('body');
    return { via: [] };
  }

  @Get('plain')
  plain(): string {
    return 'plain';
  }
}

@Injectable()
class Calculator {
  @Traced('double')
  double(n: number): number {
    return n * 2;
  }
}

/** Its class is invisible to the early installer (useFactory), so it is wrapped late. */
class FactoryMade {
  @Traced('factory')
  hello(): string {
    return 'hello';
  }
}

/** A layer that records enter/exit and tags results, in the app's own CallLog. */
function recording(log: CallLog): MethodLayer<{ label: string }> {
  return (next, handler) => {
    const label = handler.metadata.label;
    return (...args) => {
      log.entries.push(`${label}>`);
      const result = next(...args);
      const tag = (value: unknown) => {
        log.entries.push(`<${label}`);
        if (value && typeof value === 'object' && 'via' in value) {
          (value as { via: string[] }).via.push(label);
        }
        return value;
      };
      return result instanceof Promise ? result.then(tag) : tag(result);
    };
  };
}

// Two explorers, as two libs would have; registered in the "wrong" order on purpose.
@Injectable()
class AuditExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly registry: KeelMethodRegistry,
    private readonly log: CallLog,
  ) {}

  onModuleInit(): void {
    for (const handler of this.discovery.findMethods<{ label: string }>(AUDITED)) {
      this.registry.addLayer(handler, recording(this.log));
    }
  }
}

@Injectable()
class TraceExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly registry: KeelMethodRegistry,
    private readonly log: CallLog,
  ) {}

  onModuleInit(): void {
    for (const handler of this.discovery.findMethods<{ label: string }>(TRACED)) {
      this.registry.addLayer(handler, recording(this.log));
      // A second registration under the same key must not wrap twice.
      this.registry.addLayer(handler, recording(this.log));
    }
  }
}

@Module({
  imports: [KeelCoreModule],
  controllers: [PaymentsController],
  providers: [
    CallLog,
    RolesGuard,
    AuditExplorer,
    TraceExplorer,
    Calculator,
    { provide: FactoryMade, useFactory: () => new FactoryMade() },
  ],
})
class TestAppModule {}

const server = (app: INestApplication): App => app.getHttpServer() as App;

async function startApp(): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('KeelCoreModule method wrapping in a real Nest HTTP app', () => {
  let app: INestApplication;
  let log: CallLog;

  beforeAll(async () => {
    app = await startApp();
    log = app.get(CallLog);
  });

  afterAll(() => app.close());

  beforeEach(() => {
    log.entries.length = 0;
    log.handlersSeenByGuard.length = 0;
  });

  it('installs trampolines on Keel-decorated controller methods only', () => {
    expect(isTrampoline(PaymentsController.prototype.capture)).toBe(true);
    expect(isTrampoline(PaymentsController.prototype.plain)).toBe(false);
    expect(PaymentsController.prototype.capture.name).toBe('capture');
  });

  it('routes the POST and runs the layer around it', async () => {
    const res = await request(server(app))
      .post('/payments/capture')
      .set('x-role', 'admin')
      .send({ id: 'p-1' })
      .expect(201);

    expect(res.body).toEqual({ captured: 'p-1', via: ['capture'] });
    expect(log.entries).toEqual(['capture>', 'capture:p-1', '<capture']);
  });

  it('lets a guard read custom metadata off the wrapped handler', async () => {
    await request(server(app))
      .post('/payments/capture')
      .set('x-role', 'viewer')
      .send({ id: 'p-2' })
      .expect(403);

    expect(log.entries).toEqual([]);
    expect(log.handlersSeenByGuard).toHaveLength(1);
    expect(isTrampoline(log.handlersSeenByGuard[0])).toBe(true);
  });

  it('orders layers by decorator order, whichever explorer ran first', async () => {
    const outer = await request(server(app)).post('/payments/traced-outside').expect(201);
    expect(outer.body).toEqual({ via: ['audit', 'traced'] });
    expect(log.entries).toEqual(['traced>', 'audit>', 'body', '<audit', '<traced']);

    log.entries.length = 0;
    const inner = await request(server(app)).post('/payments/audited-outside').expect(201);
    expect(inner.body).toEqual({ via: ['traced', 'audit'] });
    expect(log.entries).toEqual(['audit>', 'traced>', 'body', '<traced', '<audit']);
  });

  it('leaves undecorated routes alone', async () => {
    await request(server(app)).get('/payments/plain').expect(200, 'plain');
    expect(log.entries).toEqual([]);
  });

  it('keeps sync provider methods sync', () => {
    const result = app.get(Calculator).double(21);
    expect(result).toBe(42);
    expect(log.entries).toEqual(['double>', '<double']);
  });

  it('wraps a factory-made provider late, without a warning', () => {
    expect(app.get(FactoryMade).hello()).toBe('hello');
    expect(log.entries).toEqual(['factory>', '<factory']);
  });

  it('runs the original for an instance made with new outside Nest', async () => {
    const outside = new PaymentsController(new CallLog());
    await expect(outside.capture({ id: 'p-3' })).resolves.toEqual({ captured: 'p-3', via: [] });
    expect(new Calculator().double(2)).toBe(4);
    expect(log.entries).toEqual([]);
  });

  it('gives two apps in one process their own layers and no double wrapping', async () => {
    const second = await startApp();
    try {
      const secondLog = second.get(CallLog);
      expect(secondLog).not.toBe(log);
      expect(isTrampoline(getOriginalMethod(PaymentsController.prototype.capture))).toBe(false);

      await request(server(second))
        .post('/payments/capture')
        .set('x-role', 'admin')
        .send({ id: 'p-4' })
        .expect(201, { captured: 'p-4', via: ['capture'] });
      expect(secondLog.entries).toEqual(['capture>', 'capture:p-4', '<capture']);
      expect(log.entries).toEqual([]);

      await request(server(app))
        .post('/payments/capture')
        .set('x-role', 'admin')
        .send({ id: 'p-5' })
        .expect(201, { captured: 'p-5', via: ['capture'] });
      expect(log.entries).toEqual(['capture>', 'capture:p-5', '<capture']);
      expect(secondLog.entries).toHaveLength(3);
    } finally {
      await second.close();
    }
  });
});

describe('KeelMethodRegistry late controller wrap', () => {
  const LATE = 'test:late';

  @Controller('late')
  class LateController {
    // Plain SetMetadata: no Keel decorator order, so no early trampoline.
    @Get()
    @SetMetadata(LATE, true)
    get(): string {
      return 'late';
    }
  }

  @Injectable()
  class LateExplorer implements OnModuleInit {
    constructor(
      private readonly discovery: HandlerDiscoveryService,
      private readonly registry: KeelMethodRegistry,
    ) {}

    onModuleInit(): void {
      for (const handler of this.discovery.findMethods(LATE)) {
        this.registry.addLayer(handler, (next) => () => `wrapped ${String(next())}`);
      }
    }
  }

  it('warns that HTTP calls will not see a layer added after routing', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [KeelCoreModule],
      controllers: [LateController],
      providers: [LateExplorer],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('LateController.get()'));
      // Direct calls are wrapped; the route was bound to the original before the layer existed.
      expect(app.get(LateController).get()).toBe('wrapped late');
      await request(server(app)).get('/late').expect(200, 'late');
    } finally {
      warn.mockRestore();
      await app.close();
    }
  });
});
