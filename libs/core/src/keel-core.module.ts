import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { KeelMethodInstaller } from './method-installer';
import { KeelMethodRegistry } from './method-registry.service';
import { KeelModuleClaims } from './module-claims';
import { KeelWiringCheck } from './wiring-check';

/** Imported by every Keel lib module; Nest creates it once per application. */
@Module({
  imports: [DiscoveryModule],
  providers: [
    HandlerDiscoveryService,
    KeelMethodRegistry,
    KeelMethodInstaller,
    KeelWiringCheck,
    KeelModuleClaims,
  ],
  exports: [HandlerDiscoveryService, KeelMethodRegistry, KeelModuleClaims],
})
export class KeelCoreModule {}
