import { SetMetadata } from '@nestjs/common';
import { KEEL_DECORATOR_ORDER } from './core.constants';
import { KeelConfigError } from './core.errors';

export type MetadataKey = string | symbol;

/**
 * Builds a method decorator that records `metadata` under `metadataKey` (readable with
 * Nest's Reflector) and appends the key to the method's Keel decorator order. Every Keel
 * method decorator is made with this, which is what lets core install its trampoline early
 * and compose layers in decorator order.
 */
export function createKeelDecorator<T>(metadataKey: MetadataKey, metadata: T): MethodDecorator {
  const setMetadata = SetMetadata(metadataKey, metadata);
  return (target, propertyKey, descriptor) => {
    const method: unknown = descriptor.value;
    if (typeof method !== 'function') {
      const owner = typeof target === 'function' ? target.name : target.constructor.name;
      throw new KeelConfigError(
        `Keel decorator "${String(metadataKey)}" is on ${owner}.${String(propertyKey)}, which is ` +
          'not a method. Put it on a method (not a getter, setter or property).',
      );
    }
    setMetadata(target, propertyKey, descriptor);
    const order = getKeelDecoratorOrder(method);
    // TypeScript applies decorators bottom-up, so appending gives innermost first.
    if (!order.includes(metadataKey)) {
      Reflect.defineMetadata(KEEL_DECORATOR_ORDER, [...order, metadataKey], method);
    }
  };
}

/** The Keel decorator keys on a method function, innermost first (empty if none). */
export function getKeelDecoratorOrder(method: object): readonly MetadataKey[] {
  const order = Reflect.getMetadata(KEEL_DECORATOR_ORDER, method) as
    readonly MetadataKey[] | undefined;
  return order ?? [];
}

/** Whether a function carries any Keel decorator. */
export function hasKeelDecorators(method: unknown): boolean {
  return typeof method === 'function' && getKeelDecoratorOrder(method).length > 0;
}
