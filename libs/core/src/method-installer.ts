import { Injectable } from '@nestjs/common';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { installTrampoline } from './method-chain';

/**
 * Installs trampolines while Nest creates instances, i.e. before `registerRouter()` binds
 * controller methods; `onModuleInit` would be too late for HTTP routes.
 */
@Injectable()
export class KeelMethodInstaller {
  readonly installed: number;

  constructor(discovery: HandlerDiscoveryService) {
    let installed = 0;
    for (const { prototype, methodName } of discovery.findKeelClassMethods()) {
      if (installTrampoline(prototype, methodName) === 'installed') installed++;
    }
    this.installed = installed;
  }
}
