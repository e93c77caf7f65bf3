import { createKeelDecorator, type KeySource } from '@keel/core';
import { DISTRIBUTED_LOCK_METADATA } from './lock.constants';
import type { LockCallOptions, OnBusy } from './lock.options';

const OWNER = {
  decorator: '@DistributedLock',
  module: 'LockModule',
  from: '@keel/lock',
  withoutIt: 'the method would run unlocked',
};

export interface DistributedLockOptions extends LockCallOptions {
  /** `'payment:{0}'`, `'order:{0.orderId}'`, or `(...args) => key | keys`. */
  key: KeySource;
  /** When busy: wait up to waitMs (default), throw LockNotAcquiredError, or skip the call. */
  onBusy?: OnBusy;
}

/**
 * Runs the method holding a distributed lock, released after the method's promise settles.
 * The method becomes async. Records metadata only; LockModule's explorer does the wrapping.
 */
export function DistributedLock(options: DistributedLockOptions): MethodDecorator {
  return createKeelDecorator(DISTRIBUTED_LOCK_METADATA, options, OWNER);
}
