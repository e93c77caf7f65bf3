import { LockKeys } from './backend/lock-keys';
import type { LockBackend } from './backend/lock-backend';
import { RedisLockBackend } from './backend/redis-lock.backend';
import { RedlockBackend } from './backend/redlock.backend';
import { openRedis } from './backend/redis-connection';
import type { LockModuleOptions, ResolvedLockOptions } from './lock.options';

export function createLockBackend(
  options: LockModuleOptions,
  resolved: ResolvedLockOptions,
): LockBackend {
  const keys = new LockKeys(resolved.keyPrefix);
  if (options.nodes) {
    return new RedlockBackend(options.nodes.map(openRedis), keys, resolved.driftFactor);
  }
  const { client, owned } = openRedis(options.redis!);
  return new RedisLockBackend(client, owned, keys, resolved.waitForReplicas);
}
