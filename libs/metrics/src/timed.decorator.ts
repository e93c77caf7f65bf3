import { createKeelDecorator } from '@keel/core';
import { TIMED_METADATA } from './metrics.constants';

const OWNER = {
  decorator: '@Timed',
  module: 'MetricsModule',
  from: '@keel/metrics',
  withoutIt: 'its calls would not be timed',
};

export interface TimedOptions {
  /** Static labels on this method's series (the metric gets every such label name). */
  labels?: Record<string, string>;
  /** Buckets in seconds for this metric; default the module's `buckets` (+ `slo`). */
  buckets?: number[];
  /** The metric's help text (used when this method creates the metric). */
  description?: string;
}

/** @internal What @Timed records. */
export interface TimedMetadata extends TimedOptions {
  name?: string;
}

/**
 * Times each call in a histogram, `method_timed_seconds{class,method,outcome,exception}` unless
 * named: a returned promise until it settles, a returned Observable per subscription until it
 * completes or errors, anything else until the method returns. Works on any provider or
 * controller method. Records metadata only; MetricsModule's explorer does the wrapping.
 */
export function Timed(name?: string, options?: TimedOptions): MethodDecorator;
export function Timed(options: TimedOptions): MethodDecorator;
export function Timed(
  nameOrOptions?: string | TimedOptions,
  options?: TimedOptions,
): MethodDecorator {
  const metadata: TimedMetadata =
    typeof nameOrOptions === 'object' && nameOrOptions !== null
      ? { ...nameOrOptions }
      : { ...options, name: nameOrOptions };
  return createKeelDecorator(TIMED_METADATA, metadata, OWNER);
}
