import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HandlerDiscoveryService } from './handler-discovery.service';
import { KeelMethodInstaller } from './method-installer';
import { KeelMethodRegistry } from './method-registry.service';

/** Imported by every Keel lib module; Nest creates it once per application. */
@Module({
  imports: [DiscoveryModule],
  providers: [HandlerDiscoveryService, KeelMethodRegistry, KeelMethodInstaller],
  exports: [HandlerDiscoveryService, KeelMethodRegistry],
})
export class KeelCoreModule {}
