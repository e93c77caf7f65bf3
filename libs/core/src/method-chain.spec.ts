import 'reflect-metadata';
import { SetMetadata, type Type } from '@nestjs/common';
import type { DiscoveredMethod, MethodLayer } from './discovered-method';
import { createKeelDecorator } from './keel-decorator';
import {
  addMethodLayer,
  getLayerKeys,
  getOriginalMethod,
  installTrampoline,
  isTrampoline,
} from './method-chain';

const A = 'test:a';
const B = 'test:b';
const DecA = () => createKeelDecorator(A, {});
const DecB = () => createKeelDecorator(B, {});

function handlerFor(instance: object, methodName: string, key: string): DiscoveredMethod {
  const classRef = instance.constructor as Type<unknown>;
  return {
    instance,
    classRef,
    className: classRef.name,
    methodName,
    metadataKey: key,
    metadata: {},
    isController: false,
    paramTypes: undefined,
    arity: 0,
  };
}

/** A layer that logs enter/exit around `next` under a label. */
const tracing =
  (log: string[], label: string): MethodLayer =>
  (next) =>
  (...args) => {
    log.push(`${label}>`);
    const result = next(...args);
    log.push(`<${label}`);
    return result;
  };

describe('installTrampoline', () => {
  it('keeps name, length and every metadata key of the original', () => {
    class Svc {
      @SetMetadata('custom', { role: 'admin' })
      @DecA()
      charge(_amount: number, _currency: string): string {
        return 'ok';
      }
    }
    const original = Svc.prototype.charge;
    expect(installTrampoline(Svc.prototype, 'charge')).toBe('installed');

    const trampoline = Svc.prototype.charge;
    expect(trampoline).not.toBe(original);
    expect(isTrampoline(trampoline)).toBe(true);
    expect(getOriginalMethod(trampoline)).toBe(original);
    expect(trampoline.name).toBe('charge');
    expect(trampoline.length).toBe(2);
    expect(Reflect.getMetadata('custom', trampoline)).toEqual({ role: 'admin' });
    expect(Reflect.getMetadataKeys(trampoline).sort()).toEqual(
      Reflect.getMetadataKeys(original).sort(),
    );
    expect(Object.keys(Svc.prototype)).not.toContain('charge');
  });

  it('installs at most once per prototype and method', () => {
    class Svc {
      run(): number {
        return 1;
      }
    }
    expect(installTrampoline(Svc.prototype, 'run')).toBe('installed');
    const first = Svc.prototype.run;
    expect(installTrampoline(Svc.prototype, 'run')).toBe('present');
    expect(Svc.prototype.run).toBe(first);
    expect(getOriginalMethod(first)).not.toBe(first);
    expect(isTrampoline(getOriginalMethod(first))).toBe(false);
  });

  it('runs the original for an instance without a chain, e.g. one made with new', () => {
    class Svc {
      constructor(private readonly base = 10) {}
      add(n: number): number {
        return this.base + n;
      }
    }
    installTrampoline(Svc.prototype, 'add');
    expect(new Svc().add(5)).toBe(15);
  });

  it('reports non-methods', () => {
    const proto = { value: 1 };
    expect(installTrampoline(proto, 'value')).toBe('not-a-method');
    expect(installTrampoline(proto, 'missing')).toBe('not-a-method');
  });
});

describe('addMethodLayer', () => {
  it('wraps only the registered instance, keeping sync methods sync', () => {
    class Svc {
      constructor(private readonly base: number) {}
      add(n: number): number {
        return this.base + n;
      }
    }
    const wrapped = new Svc(1);
    const other = new Svc(100);
    addMethodLayer(
      handlerFor(wrapped, 'add', A),
      (next) =>
        (...args) =>
          (next(...args) as number) * 2,
    );

    const result = wrapped.add(2);
    expect(result).toBe(6);
    expect(result).not.toBeInstanceOf(Promise);
    expect(other.add(2)).toBe(102);
    expect(new Svc(0).add(1)).toBe(1);
  });

  it('composes in decorator order whatever the registration order', () => {
    class Svc {
      @DecA()
      @DecB()
      aOutside(): string {
        return 'body';
      }

      @DecB()
      @DecA()
      bOutside(): string {
        return 'body';
      }
    }
    const svc = new Svc();
    const log: string[] = [];
    // Register A first for one method and B first for the other.
    addMethodLayer(handlerFor(svc, 'aOutside', A), tracing(log, 'A'));
    addMethodLayer(handlerFor(svc, 'aOutside', B), tracing(log, 'B'));
    addMethodLayer(handlerFor(svc, 'bOutside', B), tracing(log, 'B'));
    addMethodLayer(handlerFor(svc, 'bOutside', A), tracing(log, 'A'));

    expect(svc.aOutside()).toBe('body');
    expect(log.splice(0)).toEqual(['A>', 'B>', '<B', '<A']);
    expect(svc.bOutside()).toBe('body');
    expect(log).toEqual(['B>', 'A>', '<A', '<B']);
    expect(getLayerKeys(svc, 'aOutside')).toEqual([B, A]);
  });

  it('replaces, not stacks, a second layer under the same key', () => {
    class Svc {
      @DecA()
      run(): string {
        return 'x';
      }
    }
    const svc = new Svc();
    const log: string[] = [];
    addMethodLayer(handlerFor(svc, 'run', A), tracing(log, 'first'));
    addMethodLayer(handlerFor(svc, 'run', A), tracing(log, 'second'));

    svc.run();
    expect(log).toEqual(['second>', '<second']);
    expect(getLayerKeys(svc, 'run')).toEqual([A]);
  });

  it('puts layers for keys outside the decorator order outermost', () => {
    class Svc {
      @DecA()
      run(): string {
        return 'x';
      }
    }
    const svc = new Svc();
    const log: string[] = [];
    addMethodLayer(handlerFor(svc, 'run', 'test:programmatic'), tracing(log, 'P'));
    addMethodLayer(handlerFor(svc, 'run', A), tracing(log, 'A'));
    svc.run();
    expect(log).toEqual(['P>', 'A>', '<A', '<P']);
  });

  it('passes the handler to the layer and binds next to the instance', () => {
    class Svc {
      readonly id = 'svc-1';
      @DecA()
      whoAmI(): string {
        return this.id;
      }
    }
    const svc = new Svc();
    const seen: DiscoveredMethod[] = [];
    const handler = handlerFor(svc, 'whoAmI', A);
    addMethodLayer(handler, (next, h) => {
      seen.push(h);
      return () => next();
    });
    const detached = svc.whoAmI;
    expect(detached.call(svc)).toBe('svc-1');
    expect(seen).toEqual([handler]);
  });

  it('keeps a super call out of the subclass chain', () => {
    class Base {
      @DecA()
      run(): string {
        return 'base';
      }
    }
    class Sub extends Base {
      @DecA()
      override run(): string {
        return `sub+${super.run()}`;
      }
    }
    installTrampoline(Base.prototype, 'run');
    const sub = new Sub();
    const log: string[] = [];
    addMethodLayer(handlerFor(sub, 'run', A), tracing(log, 'A'));
    expect(sub.run()).toBe('sub+base');
    expect(log).toEqual(['A>', '<A']);
  });

  it('uses an inherited trampoline instead of stacking a second one', () => {
    class Base {
      @DecA()
      run(): string {
        return 'base';
      }
    }
    class Sub extends Base {}
    installTrampoline(Base.prototype, 'run');
    const baseTrampoline = Base.prototype.run;
    const sub = new Sub();
    addMethodLayer(handlerFor(sub, 'run', A), (next) => () => `[${String(next())}]`);
    expect(Object.prototype.hasOwnProperty.call(Sub.prototype, 'run')).toBe(false);
    expect(Sub.prototype.run).toBe(baseTrampoline);
    expect(sub.run()).toBe('[base]');
    expect(new Base().run()).toBe('base');
  });

  it('passes async results and rejections through', async () => {
    class Svc {
      @DecA()
      async fail(): Promise<never> {
        await Promise.resolve();
        throw new Error('boom');
      }
    }
    const svc = new Svc();
    addMethodLayer(
      handlerFor(svc, 'fail', A),
      (next) =>
        (...args) =>
          next(...args),
    );
    await expect(svc.fail()).rejects.toThrow('boom');
  });
});
