import { Injectable, Logger, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { DESIGN_PARAMTYPES } from './core.constants';
import { requestScopedSkipped } from './core.messages';
import type { DiscoveredMethod } from './discovered-method';
import { hasKeelDecorators, type MetadataKey } from './keel-decorator';

/** A method found on a class (no instance needed), as the early installer sees it. */
export interface DiscoveredClassMethod {
  readonly classRef: Type<unknown>;
  readonly prototype: object;
  readonly methodName: string;
  readonly isController: boolean;
}

/**
 * Finds decorated methods on the app's providers and controllers. Lib explorers call
 * `findMethods` in `onModuleInit`; core's installer calls `findKeelClassMethods` earlier.
 */
@Injectable()
export class HandlerDiscoveryService {
  private readonly logger = new Logger('KeelDiscovery');
  /** Keys some explorer of this app looked for: their decorators have a module running them. */
  private readonly served = new Set<MetadataKey>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /**
   * Every method carrying `metadataKey` on a live, singleton provider or controller instance.
   * Calling it marks the key as served by this app (explorers call it for their decorator).
   */
  findMethods<T = unknown>(metadataKey: MetadataKey): DiscoveredMethod<T>[] {
    this.served.add(metadataKey);
    const found: DiscoveredMethod<T>[] = [];
    const seen = new Map<object, Set<string>>();
    for (const { wrapper, isController } of this.wrappers()) {
      if (!wrapper.metatype) continue;
      if (!wrapper.isDependencyTreeStatic()) {
        this.warnIfDecorated(wrapper, metadataKey);
        continue;
      }
      for (const instance of instancesOf(wrapper)) {
        const prototype = Object.getPrototypeOf(instance) as object | null;
        if (!prototype || prototype === Object.prototype) continue;
        let names = seen.get(instance);
        if (!names) seen.set(instance, (names = new Set()));
        for (const methodName of this.scanner.getAllMethodNames(prototype)) {
          if (names.has(methodName)) continue;
          const method = Reflect.get(prototype, methodName) as object;
          if (!Reflect.hasMetadata(metadataKey, method)) continue;
          names.add(methodName);
          const classRef = instance.constructor as Type<unknown>;
          found.push({
            instance,
            classRef,
            className: classRef.name,
            methodName,
            metadataKey,
            metadata: Reflect.getMetadata(metadataKey, method) as T,
            isController,
            paramTypes: Reflect.getMetadata(DESIGN_PARAMTYPES, prototype, methodName) as
              unknown[] | undefined,
            arity: (method as { length: number }).length,
          });
        }
      }
    }
    return found;
  }

  /**
   * Methods carrying any Keel decorator on provider and controller classes, found from the
   * classes alone, so it works while instances are still being created.
   */
  findKeelClassMethods(): DiscoveredClassMethod[] {
    const found: DiscoveredClassMethod[] = [];
    const seen = new Set<object>();
    for (const { wrapper, isController } of this.wrappers()) {
      if (wrapper.isNotMetatype || !wrapper.isDependencyTreeStatic()) continue;
      const classRef = wrapper.metatype as Type<unknown>;
      const prototype = classRef.prototype as object | undefined;
      if (!prototype || seen.has(prototype)) continue;
      seen.add(prototype);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        if (hasKeelDecorators(Reflect.get(prototype, methodName))) {
          found.push({ classRef, prototype, methodName, isController });
        }
      }
    }
    return found;
  }

  /** Whether an explorer of this app has looked for `metadataKey`. */
  isServed(metadataKey: MetadataKey): boolean {
    return this.served.has(metadataKey);
  }

  private *wrappers(): Generator<{ wrapper: InstanceWrapper; isController: boolean }> {
    for (const wrapper of this.discovery.getProviders()) yield { wrapper, isController: false };
    for (const wrapper of this.discovery.getControllers()) yield { wrapper, isController: true };
  }

  private warnIfDecorated(wrapper: InstanceWrapper, metadataKey: MetadataKey): void {
    if (wrapper.isNotMetatype) return;
    const prototype = (wrapper.metatype as Type<unknown>).prototype as object | undefined;
    if (!prototype) return;
    const decorated = this.scanner
      .getAllMethodNames(prototype)
      .some((name) => Reflect.hasMetadata(metadataKey, Reflect.get(prototype, name) as object));
    if (decorated) {
      const name = (wrapper.metatype as Type<unknown>).name;
      this.logger.warn(requestScopedSkipped(name, String(metadataKey)));
    }
  }
}

// Transient providers have one instance per consumer; the wrapper's own is only a prototype.
function instancesOf(wrapper: InstanceWrapper<unknown>): object[] {
  const candidates: unknown[] = wrapper.isTransient
    ? wrapper.getStaticTransientInstances().map((entry) => entry?.instance)
    : [wrapper.instance];
  return candidates.filter((c): c is object => typeof c === 'object' && c !== null);
}
