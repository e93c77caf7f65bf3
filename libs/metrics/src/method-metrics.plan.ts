import { KeelConfigError } from '@keel/core';
import { type DiscoveredMethod } from '@keel/core/internal';
import type { CountedMetadata } from './counted.decorator';
import { METRIC_NAMES } from './metrics.constants';
import { decoratorMessage } from './metrics.messages';
import type { ResolvedMetricsOptions } from './metrics.options';
import { isLabelName, isMetricName, normaliseBuckets } from './metrics.validation';
import type { TimedMetadata } from './timed.decorator';

const BASE_LABELS = ['class', 'method', 'outcome', 'exception'];

/** One metric as every method that feeds it needs it: label names are the union of theirs. */
export interface MetricPlan {
  readonly name: string;
  readonly kind: Kind;
  help: string;
  readonly labelNames: Set<string>;
  buckets?: readonly number[];
}

/** One decorated method, checked: which metric it feeds and with which static labels. */
export interface MethodPlan<T> {
  readonly handler: DiscoveredMethod<T>;
  readonly metric: string;
  readonly labels: Record<string, string>;
}

export type Kind = 'timed' | 'counted';

/**
 * Checks every @Timed or @Counted at start-up (a bad one fails the boot naming class and
 * method) and groups them by metric, so a metric is created once with every label it needs.
 */
export function planMethodMetrics<T extends TimedMetadata | CountedMetadata>(
  kind: Kind,
  handlers: readonly DiscoveredMethod<T>[],
  options: ResolvedMetricsOptions,
  metrics: Map<string, MetricPlan>,
): MethodPlan<T>[] {
  const decorator = kind === 'timed' ? '@Timed' : '@Counted';
  return handlers.map((handler) => {
    const where = `${decorator} on ${handler.className}.${handler.methodName}()`;
    const fail = (problem: string): KeelConfigError =>
      new KeelConfigError(decoratorMessage(where, problem));
    const meta = handler.metadata;
    const base = meta.name ?? METRIC_NAMES[kind];
    if (!isMetricName(base)) {
      throw fail(`metric name ${JSON.stringify(base)} is not valid ([a-zA-Z_:][a-zA-Z0-9_:]*)`);
    }
    const name = options.prefix + base;
    const labels = checkLabels(meta.labels, fail);
    if (meta.description !== undefined && typeof meta.description !== 'string') {
      throw fail('description must be a string');
    }

    let plan = metrics.get(name);
    if (!plan) {
      plan = { name, kind, help: '', labelNames: new Set(BASE_LABELS) };
      metrics.set(name, plan);
    } else if (plan.kind !== kind) {
      throw fail(`metric "${name}" is used by @${plan.kind === 'timed' ? 'Timed' : 'Counted'} too`);
    }
    if (!plan.help && meta.description) plan.help = meta.description;
    for (const label of Object.keys(labels)) plan.labelNames.add(label);

    if (kind === 'timed') {
      const timed = meta as TimedMetadata;
      const buckets =
        timed.buckets === undefined ? options.buckets : normaliseBuckets(timed.buckets);
      if (!buckets) throw fail('buckets must be a non-empty list of positive numbers');
      if (plan.buckets && plan.buckets.join() !== buckets.join()) {
        throw fail(`metric "${name}" is used by another method with other buckets`);
      }
      plan.buckets = buckets;
    }
    const failuresOnly = (meta as CountedMetadata).failuresOnly;
    if (failuresOnly !== undefined && typeof failuresOnly !== 'boolean') {
      throw fail('failuresOnly must be a boolean');
    }
    return { handler, metric: name, labels };
  });
}

function checkLabels(
  labels: Record<string, string> | undefined,
  fail: (problem: string) => KeelConfigError,
): Record<string, string> {
  if (labels === undefined) return {};
  if (labels === null || typeof labels !== 'object') throw fail('labels must be an object');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (!isLabelName(name) || name === 'le') throw fail(`label name "${name}" is not valid`);
    if (BASE_LABELS.includes(name)) throw fail(`label "${name}" is set by Keel; pick another name`);
    if (typeof value !== 'string') throw fail(`label "${name}" must have a string value`);
    out[name] = value;
  }
  return out;
}
