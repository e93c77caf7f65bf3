import 'reflect-metadata';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KeyResolutionError, KeyTemplateError } from './core.errors';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { createKeelDecorator } from './keel-decorator';
import { KeelCoreModule } from './keel-core.module';
import { compileKeyTemplate, type KeyTemplateTarget } from './key-template';

const target: KeyTemplateTarget = { className: 'PaymentService', methodName: 'capture' };
const compile = (template: string, t: KeyTemplateTarget = target) =>
  compileKeyTemplate(template, t);

describe('compileKeyTemplate: valid templates', () => {
  it.each<[string, unknown[], string]>([
    ['nightly-job', [], 'nightly-job'],
    ['{0}', ['p-1'], 'p-1'],
    ['payment:{0}', ['p-1'], 'payment:p-1'],
    ['{0}:{1}', ['a', 2], 'a:2'],
    ['order:{0.order.id}:v{1}', [{ order: { id: 'o-9' } }, 3], 'order:o-9:v3'],
    ['{0.items.0.sku}', [{ items: [{ sku: 'S1' }] }], 'S1'],
    ['n:{0}', [0], 'n:0'],
    ['big:{0}', [12345678901234567890n], 'big:12345678901234567890'],
    ['flag:{0}', [false], 'flag:false'],
    ['{{literal}}:{0}', ['x'], '{literal}:x'],
    ['a}}b{{c', [], 'a}b{c'],
    ['{1}', ['unused', 'second'], 'second'],
  ])('%s', (template, args, expected) => {
    expect(compile(template)(args)).toEqual([expected]);
  });

  it('returns a fresh array per call', () => {
    const resolve = compile('const');
    const first = resolve([]);
    first.push('mutated');
    expect(resolve([])).toEqual(['const']);
  });
});

describe('compileKeyTemplate: malformed templates', () => {
  it.each<[string, RegExp]>([
    ['', /it is empty/],
    ['pay:{0', /"\{" at position 4 is not closed/],
    ['pay:{0{1}}', /"\{" at position 4 is not closed/],
    ['pay:0}', /"\}" at position 5 has no matching "\{"/],
    ['pay:{}', /"\{\}" has no argument index/],
    ['pay:{a}', /must start with an argument index .* not "a"/],
    ['pay:{-1}', /must start with an argument index/],
    ['pay:{01}', /must start with an argument index/],
    ['pay:{ 0 }', /must start with an argument index/],
    ['pay:{0.}', /"\{0\.\}" has an empty property name/],
    ['pay:{0..x}', /"\{0\.\.x\}" has an empty property name/],
    ['pay:{0.a b}', /invalid property name "a b"/],
  ])('%j', (template, problem) => {
    const attempt = () => compile(template);
    expect(attempt).toThrow(KeyTemplateError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(/PaymentService\.capture\(\)/);
  });

  it('names the template in the message', () => {
    expect(() => compile('pay:{a}')).toThrow('"pay:{a}"');
  });
});

describe('compileKeyTemplate: unknown paths at compile time', () => {
  it('rejects an index beyond design:paramtypes', () => {
    const t = { ...target, paramTypes: [String], arity: 5 };
    expect(() => compile('{1}', t)).toThrow(/refers to argument 1, but the method takes 1/);
  });

  it('falls back to the declared arity', () => {
    expect(() => compile('{2}', { ...target, arity: 2 })).toThrow(KeyTemplateError);
    expect(compile('{1}', { ...target, arity: 2 })(['a', 'b'])).toEqual(['b']);
  });

  it.each([String, Number, Boolean])('rejects a property path into a %p argument', (type) => {
    const t = { ...target, paramTypes: [type] };
    expect(() => compile('{0.id}', t)).toThrow(/reads a property of argument 0/);
    expect(compile('{0}', t)(['x'])).toEqual(['x']);
  });

  it('allows a path into an object argument', () => {
    class Order {}
    expect(compile('{0.id}', { ...target, paramTypes: [Order] })([{ id: 7 }])).toEqual(['7']);
  });
});

describe('compileKeyTemplate: runtime resolution', () => {
  const resolve = compile('pay:{0.order.id}');

  it.each<[string, unknown[], RegExp]>([
    ['undefined leaf', [{ order: {} }], /the value is undefined/],
    ['null leaf', [{ order: { id: null } }], /the value is null/],
    ['missing parent', [{}], /\{0\.order\} is undefined/],
    ['missing argument', [], /\{0\} is undefined/],
    ['empty string', [{ order: { id: '' } }], /an empty string/],
    ['object', [{ order: { id: {} } }], /a value of type object/],
    ['NaN', [{ order: { id: NaN } }], /the value is NaN/],
  ])('throws KeyResolutionError on %s', (_case, args, reason) => {
    const attempt = () => resolve(args);
    expect(attempt).toThrow(KeyResolutionError);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(
      /PaymentService\.capture\(\) from "pay:\{0\.order\.id\}" at \{0\.order\.id\}/,
    );
  });

  it('reports the failing path on the error', () => {
    try {
      compile('{0}:{1.id}')(['a', {}]);
      throw new Error('expected a KeyResolutionError');
    } catch (err) {
      expect(err).toBeInstanceOf(KeyResolutionError);
      expect((err as KeyResolutionError).path).toBe('{1.id}');
      expect((err as KeyResolutionError).template).toBe('{0}:{1.id}');
    }
  });
});

describe('compileKeyTemplate: function form', () => {
  it('accepts a single key', () => {
    const resolve = compileKeyTemplate((order: { id: string }) => `pay:${order.id}`, target);
    expect(resolve([{ id: 'p-1' }])).toEqual(['pay:p-1']);
  });

  it('accepts several keys and copies the array', () => {
    const keys = ['a', 'b'];
    const resolve = compileKeyTemplate(() => keys, target);
    const got = resolve([]);
    expect(got).toEqual(['a', 'b']);
    expect(got).not.toBe(keys);
  });

  it.each<[string, unknown, RegExp]>([
    ['empty string', '', /returned an empty string/],
    ['empty array', [], /returned an empty array/],
    ['array with empty key', ['a', ''], /array holding an empty string/],
    ['array with a number', ['a', 1], /array holding 1/],
    ['undefined', undefined, /returned undefined/],
    ['object', {}, /returned a value of type object/],
  ])('rejects %s', (_case, value, reason) => {
    const resolve = compileKeyTemplate(function lockKey() {
      return value as string;
    }, target);
    expect(() => resolve([])).toThrow(KeyResolutionError);
    expect(() => resolve([])).toThrow(reason);
    expect(() => resolve([])).toThrow('<key function lockKey>');
  });

  it('wraps a throwing key function, keeping the cause', () => {
    const boom = new Error('boom');
    const resolve = compileKeyTemplate(() => {
      throw boom;
    }, target);
    expect(() => resolve([])).toThrow(/the key function threw/);
    try {
      resolve([]);
    } catch (err) {
      expect((err as KeyResolutionError).cause).toBe(boom);
    }
  });
});

describe('compileKeyTemplate in a Nest boot', () => {
  const KEYED = 'test:keyed';
  const Keyed = (key: string) => createKeelDecorator(KEYED, { key });

  @Injectable()
  class RefundService {
    @Keyed('refund:{0.id}')
    refund(_paymentId: string): void {}
  }

  @Injectable()
  class KeyedExplorer implements OnModuleInit {
    constructor(private readonly discovery: HandlerDiscoveryService) {}

    onModuleInit(): void {
      for (const handler of this.discovery.findMethods<{ key: string }>(KEYED)) {
        compileKeyTemplate(handler.metadata.key, handler);
      }
    }
  }

  @Module({ imports: [KeelCoreModule], providers: [RefundService, KeyedExplorer] })
  class KeyedModule {}

  it('rejects app.init() with a KeyTemplateError naming class, method and template', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [KeyedModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const init = app.init();
    await expect(init).rejects.toThrow(KeyTemplateError);
    await expect(init).rejects.toThrow(/RefundService\.refund\(\)/);
    await expect(init).rejects.toThrow('"refund:{0.id}"');
    await expect(init).rejects.toThrow(/argument 0, which is a String/);
    await app.close();
  });
});
