import { Injectable, OnModuleInit } from '@nestjs/common';
import { KeelConfigError } from '@keel/core';
import {
  compileKeyTemplate,
  HandlerDiscoveryService,
  KeelMethodRegistry,
  type AnyFn,
} from '@keel/core/internal';
import type { DistributedLockOptions } from './lock.decorator';
import { DISTRIBUTED_LOCK_METADATA } from './lock.constants';
import type { LockCallOptions } from './lock.options';
import { LockService } from './lock.service';
import { checkCallOptions, normaliseKeys } from './lock.validation';

const ON_BUSY = ['wait', 'throw', 'skip'];

/** Finds @DistributedLock methods at start-up and wraps each once. */
@Injectable()
export class LockExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly registry: KeelMethodRegistry,
    private readonly locks: LockService,
  ) {}

  onModuleInit(): void {
    for (const handler of this.discovery.findMethods<DistributedLockOptions>(
      DISTRIBUTED_LOCK_METADATA,
    )) {
      const meta = handler.metadata;
      const where = `@DistributedLock on ${handler.className}.${handler.methodName}()`;
      try {
        checkCallOptions(meta, where);
      } catch (err) {
        throw new KeelConfigError((err as Error).message);
      }
      if (meta.onBusy !== undefined && !ON_BUSY.includes(meta.onBusy)) {
        throw new KeelConfigError(`${where}: onBusy must be one of ${ON_BUSY.join(', ')}`);
      }
      const resolveKeys = compileKeyTemplate(meta.key, handler);
      const onBusy = meta.onBusy ?? 'wait';
      const metricName = meta.name ?? `${handler.className}.${handler.methodName}`;
      const callOptions: LockCallOptions = {
        leaseMs: meta.leaseMs,
        waitMs: meta.waitMs,
        watchdog: meta.watchdog,
        maxHoldMs: meta.maxHoldMs,
      };
      const locks = this.locks;
      this.registry.addLayer(handler, (next: AnyFn): AnyFn => {
        return function lockedCall(...args: unknown[]): Promise<unknown> {
          let names: string[];
          try {
            names = normaliseKeys(resolveKeys(args), where);
          } catch (err) {
            return Promise.reject(err);
          }
          return locks.runLocked(names, callOptions, onBusy, metricName, () => next(...args));
        };
      });
    }
  }
}
