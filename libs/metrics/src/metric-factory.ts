import { KeelConfigError } from '@keel/core';
import { Counter, Histogram, type Registry } from 'prom-client';
import { metricConflictMessage } from './metrics.messages';

export interface MetricSpec {
  name: string;
  help: string;
  labelNames: readonly string[];
}

/**
 * A histogram in `registry`, or the one already registered under `name`: several apps in one
 * process (tests) share prom-client's global registry, and a second `new Histogram` would throw.
 */
export function histogramIn(
  registry: Registry,
  spec: MetricSpec & { buckets: readonly number[] },
): Histogram<string> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing) return reuse(existing, Histogram, 'histogram', spec);
  return new Histogram({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    buckets: [...spec.buckets],
    registers: [registry],
  });
}

export function counterIn(registry: Registry, spec: MetricSpec): Counter<string> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing) return reuse(existing, Counter, 'counter', spec);
  return new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    registers: [registry],
  });
}

function reuse<M extends object>(
  existing: object,
  type: abstract new (...args: never[]) => M,
  typeName: string,
  spec: MetricSpec,
): M {
  if (!(existing instanceof type)) {
    throw new KeelConfigError(metricConflictMessage(spec.name, `and is not a ${typeName}`));
  }
  // prom-client keeps the label names on the metric but does not type them.
  const have = (existing as { labelNames?: readonly string[] }).labelNames ?? [];
  const missing = spec.labelNames.filter((l) => !have.includes(l));
  if (missing.length > 0) {
    throw new KeelConfigError(
      metricConflictMessage(
        spec.name,
        `with labels [${have.join(', ')}], without ${missing.join(', ')}`,
      ),
    );
  }
  return existing;
}
