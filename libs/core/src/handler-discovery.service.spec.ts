import 'reflect-metadata';
import { Controller, Get, Injectable, Logger, Scope } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { createKeelDecorator } from './keel-decorator';
import { KeelCoreModule } from './keel-core.module';

const KEY = 'test:discovered';
const OTHER = 'test:other';
const Discovered = (label: string) => createKeelDecorator(KEY, { label });
const Other = () => createKeelDecorator(OTHER, {});

@Injectable()
class OrderService {
  @Discovered('place')
  place(_orderId: string, _amount: number): void {}

  @Other()
  audit(): void {}

  plain(): void {}
}

@Controller('orders')
class OrderController {
  @Get()
  @Discovered('list')
  list(): string[] {
    return [];
  }
}

@Injectable({ scope: Scope.REQUEST })
class PerRequestService {
  @Discovered('per-request')
  handle(): void {}
}

class MadeByFactory {
  @Discovered('factory')
  run(): void {}
}

@Injectable({ scope: Scope.TRANSIENT })
class TransientWorker {
  @Discovered('transient')
  work(): void {}
}

@Injectable()
class ConsumerOne {
  constructor(readonly worker: TransientWorker) {}
}

@Injectable()
class ConsumerTwo {
  constructor(readonly worker: TransientWorker) {}
}

describe('HandlerDiscoveryService', () => {
  let moduleRef: TestingModule;
  let discovery: HandlerDiscoveryService;
  let warn: jest.SpyInstance;

  beforeEach(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    moduleRef = await Test.createTestingModule({
      imports: [KeelCoreModule],
      controllers: [OrderController],
      providers: [
        OrderService,
        { provide: 'ORDER_ALIAS', useExisting: OrderService },
        PerRequestService,
        { provide: MadeByFactory, useFactory: () => new MadeByFactory() },
        { provide: 'CONFIG', useValue: { place: () => undefined } },
        TransientWorker,
        ConsumerOne,
        ConsumerTwo,
      ],
    }).compile();
    discovery = moduleRef.get(HandlerDiscoveryService);
  });

  afterEach(async () => {
    await moduleRef.close();
    warn.mockRestore();
  });

  it('finds decorated provider and controller methods with metadata and instance', () => {
    const found = discovery.findMethods<{ label: string }>(KEY);
    const byLabel = new Map(found.map((m) => [m.metadata.label, m]));

    const place = byLabel.get('place');
    expect(place).toMatchObject({
      instance: moduleRef.get(OrderService),
      classRef: OrderService,
      className: 'OrderService',
      methodName: 'place',
      metadataKey: KEY,
      isController: false,
      paramTypes: [String, Number],
      arity: 2,
    });
    expect(byLabel.get('list')).toMatchObject({
      instance: moduleRef.get(OrderController),
      className: 'OrderController',
      methodName: 'list',
      isController: true,
    });
    expect(byLabel.get('factory')?.instance).toBe(moduleRef.get(MadeByFactory));
  });

  it('lists each instance and method once, even behind an alias', () => {
    const places = discovery.findMethods(KEY).filter((m) => m.methodName === 'place');
    expect(places).toHaveLength(1);
  });

  it('finds every transient instance', () => {
    const workers = discovery.findMethods(KEY).filter((m) => m.className === 'TransientWorker');
    const instances = new Set(workers.map((m) => m.instance));
    expect(instances).toEqual(
      new Set([moduleRef.get(ConsumerOne).worker, moduleRef.get(ConsumerTwo).worker]),
    );
    expect(instances.size).toBe(2);
  });

  it('ignores undecorated methods and other keys', () => {
    const names = discovery.findMethods(KEY).map((m) => `${m.className}.${m.methodName}`);
    expect(names).not.toContain('OrderService.plain');
    expect(names).not.toContain('OrderService.audit');
    expect(discovery.findMethods(OTHER).map((m) => m.methodName)).toEqual(['audit']);
    expect(discovery.findMethods('test:unused')).toEqual([]);
  });

  it('warns about and skips a request-scoped provider', () => {
    const found = discovery.findMethods(KEY);
    expect(found.some((m) => m.className === 'PerRequestService')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('PerRequestService'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('request-scoped'));
  });

  it('does not warn about request-scoped classes without the key', () => {
    discovery.findMethods(OTHER);
    expect(warn).not.toHaveBeenCalled();
  });

  it('finds Keel-decorated methods from classes alone', () => {
    const found = discovery.findKeelClassMethods();
    const names = found.map((m) => `${m.classRef.name}.${m.methodName}`).sort();
    // Factory-made and request-scoped classes are unknown or skipped here.
    expect(names).toEqual([
      'OrderController.list',
      'OrderService.audit',
      'OrderService.place',
      'TransientWorker.work',
    ]);
    expect(found.find((m) => m.methodName === 'list')?.isController).toBe(true);
  });
});
