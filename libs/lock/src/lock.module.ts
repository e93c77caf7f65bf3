import { Module } from '@nestjs/common';
import { KeelCoreModule } from '@keel/core';
import { createLockBackend } from './lock-backend.factory';
import { LOCK_BACKEND, LOCK_METRICS, RESOLVED_LOCK_OPTIONS } from './lock.constants';
import { LockExplorer } from './lock.explorer';
import { LockMetrics } from './lock.metrics';
import { LOCK_MODULE_OPTIONS, LockConfigurableModule } from './lock.module-definition';
import type { LockModuleOptions, ResolvedLockOptions } from './lock.options';
import { LockService } from './lock.service';
import { resolveLockOptions } from './lock.validation';

/**
 * Distributed locks on Redis. `LockModule.forRoot({ redis: 'redis://127.0.0.1:6379' })` or
 * `forRootAsync({ useFactory, inject })`; global unless `isGlobal: false`.
 */
@Module({
  imports: [KeelCoreModule],
  providers: [
    {
      provide: RESOLVED_LOCK_OPTIONS,
      inject: [LOCK_MODULE_OPTIONS],
      useFactory: (options: LockModuleOptions) => resolveLockOptions(options),
    },
    {
      provide: LOCK_BACKEND,
      inject: [LOCK_MODULE_OPTIONS, RESOLVED_LOCK_OPTIONS],
      useFactory: (options: LockModuleOptions, resolved: ResolvedLockOptions) =>
        createLockBackend(options, resolved),
    },
    {
      provide: LOCK_METRICS,
      inject: [LOCK_MODULE_OPTIONS],
      useFactory: (options: LockModuleOptions) => new LockMetrics(options.registry),
    },
    LockService,
    LockExplorer,
  ],
  exports: [LockService],
})
export class LockModule extends LockConfigurableModule {}
