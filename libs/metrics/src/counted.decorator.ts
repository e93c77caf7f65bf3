import { createKeelDecorator } from '@keel/core';
import { COUNTED_METADATA } from './metrics.constants';

const OWNER = {
  decorator: '@Counted',
  module: 'MetricsModule',
  from: '@keel/metrics',
  withoutIt: 'its calls would not be counted',
};

export interface CountedOptions {
  /** Count only calls that throw or reject. Default false. */
  failuresOnly?: boolean;
  /** Static labels on this method's series (the metric gets every such label name). */
  labels?: Record<string, string>;
  /** The metric's help text (used when this method creates the metric). */
  description?: string;
}

/** @internal What @Counted records. */
export interface CountedMetadata extends CountedOptions {
  name?: string;
}

/**
 * Counts calls when they settle, `method_counted_total{class,method,outcome,exception}` unless
 * named (same settling rules as @Timed). Records metadata only; the explorer wraps.
 */
export function Counted(name?: string, options?: CountedOptions): MethodDecorator;
export function Counted(options: CountedOptions): MethodDecorator;
export function Counted(
  nameOrOptions?: string | CountedOptions,
  options?: CountedOptions,
): MethodDecorator {
  const metadata: CountedMetadata =
    typeof nameOrOptions === 'object' && nameOrOptions !== null
      ? { ...nameOrOptions }
      : { ...options, name: nameOrOptions };
  return createKeelDecorator(COUNTED_METADATA, metadata, OWNER);
}
