import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { KeelConfigError } from './core.errors';
import { missingModules } from './core.messages';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { getKeelDecoratorOrder, getKeelDecoratorOwner } from './keel-decorator';

/**
 * Fails the boot when a Keel decorator sits on a method of this app but no explorer ran for it
 * (its module is not imported): a lock that silently does not lock is worse than no boot.
 * Runs at bootstrap, after every module's onModuleInit, where explorers look for their keys.
 */
@Injectable()
export class KeelWiringCheck implements OnApplicationBootstrap {
  constructor(private readonly discovery: HandlerDiscoveryService) {}

  onApplicationBootstrap(): void {
    const problems: string[] = [];
    for (const { classRef, prototype, methodName } of this.discovery.findKeelClassMethods()) {
      const method = Reflect.get(prototype, methodName) as object;
      for (const key of getKeelDecoratorOrder(method)) {
        const owner = getKeelDecoratorOwner(key);
        if (owner && !this.discovery.isServed(key)) {
          problems.push(
            `${classRef.name}.${methodName}() has ${owner.decorator} but ` +
              `${owner.module} (${owner.from}) is not imported: ${owner.withoutIt}`,
          );
        }
      }
    }
    if (problems.length > 0) throw new KeelConfigError(missingModules(problems));
  }
}
