import type { Type } from '@nestjs/common';
import type { MetadataKey } from './keel-decorator';

/** One decorated method on one live provider or controller instance. */
export interface DiscoveredMethod<T = unknown> {
  readonly instance: object;
  readonly classRef: Type<unknown>;
  readonly className: string;
  readonly methodName: string;
  readonly metadataKey: MetadataKey;
  readonly metadata: T;
  readonly isController: boolean;
  /** `design:paramtypes` of the method, when TypeScript emitted it. */
  readonly paramTypes: readonly unknown[] | undefined;
  /** The method's declared parameter count (`Function.length`). */
  readonly arity: number;
}

/** A method as the layers see it. Layers receive `next` already bound to the instance. */
export type AnyFn = (...args: unknown[]) => unknown;

/**
 * Wraps `next` once, at start-up, and returns what runs on each call. Return a plain
 * function: sync stays sync, async stays async, as long as the layer keeps it so.
 */
export type MethodLayer<T = unknown> = (next: AnyFn, handler: DiscoveredMethod<T>) => AnyFn;
