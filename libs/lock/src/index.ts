// The whole public API of @keel/lock.
export { LockModule } from './lock.module';
export { LOCK_ASYNC_OPTIONS_TYPE, LOCK_OPTIONS_TYPE } from './lock.module-definition';
export { DistributedLock, type DistributedLockOptions } from './lock.decorator';
export { LockService } from './lock.service';
export { LockHandle } from './lock-handle';
export {
  LeaseLostError,
  LockArgumentError,
  LockBackendError,
  LockNotAcquiredError,
  LockNotReplicatedError,
} from './lock.errors';
export type { LockCallOptions, LockModuleOptions, OnBusy, RedisConnection } from './lock.options';
export { sqlFence, type SqlFenceGuard } from './fencing/sql-fence';
export { fencedSet } from './fencing/redis-fence';
