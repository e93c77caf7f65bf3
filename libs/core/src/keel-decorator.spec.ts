import 'reflect-metadata';
import { Reflector } from '@nestjs/core';
import { KeelConfigError } from './core.errors';
import { createKeelDecorator, getKeelDecoratorOrder, hasKeelDecorators } from './keel-decorator';

const OUTER = 'test:outer';
const INNER = Symbol('test:inner');
const Outer = (label: string) => createKeelDecorator(OUTER, { label });
const Inner = () => createKeelDecorator(INNER, { inner: true });

class Sample {
  @Outer('a')
  @Inner()
  both(): void {}

  @Inner()
  @Outer('b')
  reversed(): void {}

  plain(): void {}
}

describe('createKeelDecorator', () => {
  const reflector = new Reflector();

  it('records metadata readable by Nest Reflector', () => {
    expect(reflector.get(OUTER, Sample.prototype.both)).toEqual({ label: 'a' });
    expect(reflector.get(INNER, Sample.prototype.both)).toEqual({ inner: true });
  });

  it('records decorator keys innermost first', () => {
    expect(getKeelDecoratorOrder(Sample.prototype.both)).toEqual([INNER, OUTER]);
    expect(getKeelDecoratorOrder(Sample.prototype.reversed)).toEqual([OUTER, INNER]);
  });

  it('reports undecorated methods as having no Keel decorators', () => {
    expect(getKeelDecoratorOrder(Sample.prototype.plain)).toEqual([]);
    expect(hasKeelDecorators(Sample.prototype.plain)).toBe(false);
    expect(hasKeelDecorators(Sample.prototype.both)).toBe(true);
    expect(hasKeelDecorators(undefined)).toBe(false);
  });

  it('lists a key once when the same decorator is applied twice', () => {
    class Twice {
      @Outer('outer')
      @Outer('inner')
      run(): void {}
    }
    expect(getKeelDecoratorOrder(Twice.prototype.run)).toEqual([OUTER]);
    expect(reflector.get(OUTER, Twice.prototype.run)).toEqual({ label: 'outer' });
  });

  it('rejects a non-method target with a config error naming it', () => {
    const decorate = () => {
      class Bad {
        @Outer('x')
        get value(): number {
          return 1;
        }
      }
      return Bad;
    };
    expect(decorate).toThrow(KeelConfigError);
    expect(decorate).toThrow(/Bad\.value/);
  });
});
