import { SetMetadata } from '@nestjs/common';
import { KEEL_DECORATOR_ORDER } from './core.constants';
import { KeelConfigError } from './core.errors';

export type MetadataKey = string | symbol;

/** Which module runs a decorator: named in the boot error when that module is missing. */
export interface KeelDecoratorOwner {
  /** As users write it, e.g. `@DistributedLock`. */
  readonly decorator: string;
  /** The module that must be imported, e.g. `LockModule`. */
  readonly module: string;
  /** Its package, e.g. `@keel/lock`. */
  readonly from: string;
  /** What goes wrong without it, e.g. `the method would run unlocked`. */
  readonly withoutIt: string;
}

// Keyed by metadata key; filled when decorated classes load, i.e. before any app boots.
const owners = new Map<MetadataKey, KeelDecoratorOwner>();

/** The owner recorded for a decorator key, if its decorator named one. */
export function getKeelDecoratorOwner(metadataKey: MetadataKey): KeelDecoratorOwner | undefined {
  return owners.get(metadataKey);
}

/**
 * Builds a method decorator that records `metadata` under `metadataKey` (readable with
 * Nest's Reflector) and appends the key to the method's Keel decorator order. Every Keel
 * method decorator is made with this, which is what lets core install its trampoline early
 * and compose layers in decorator order.
 */
export function createKeelDecorator<T>(
  metadataKey: MetadataKey,
  metadata: T,
  owner?: KeelDecoratorOwner,
): MethodDecorator {
  if (owner) owners.set(metadataKey, owner);
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
