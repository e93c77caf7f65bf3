import { KeelConfigError } from '@keel/core';
import { rejectUnknownOptions } from '@keel/core/internal';
import { register as globalRegistry, Registry } from 'prom-client';
import { DEFAULT_BUCKETS, DEFAULTS } from './metrics.constants';
import { optionMessage } from './metrics.messages';
import type { MetricsModuleOptions, ResolvedMetricsOptions } from './metrics.options';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const isMetricName = (name: unknown): name is string =>
  typeof name === 'string' && METRIC_NAME.test(name);

/** Prometheus label names; `__` is reserved for Prometheus itself. */
export const isLabelName = (name: string): boolean =>
  LABEL_NAME.test(name) && !name.startsWith('__');

const fail = (option: string, rule: string, got: unknown): KeelConfigError =>
  new KeelConfigError(optionMessage(option, rule, got));

/** Sorted, de-duplicated bucket bounds, or undefined when `value` is not a usable list. */
export function normaliseBuckets(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((b) => typeof b === 'number' && Number.isFinite(b) && b > 0)) return undefined;
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

// A record, so the compiler fails when an option is added to the type but not here.
const MODULE_KEYS = Object.keys({
  registry: 0,
  defaultMetrics: 0,
  service: 0,
  instance: 0,
  commonLabels: 0,
  prefix: 0,
  path: 0,
  port: 0,
  host: 0,
  buckets: 0,
  slo: 0,
  httpMetrics: 0,
  maxSeriesPerMetric: 0,
} satisfies Record<keyof MetricsModuleOptions, 0>);

/** Validates module options at start-up; a bad one fails the boot naming the option. */
export function resolveMetricsOptions(options: MetricsModuleOptions): ResolvedMetricsOptions {
  if (options === null || typeof options !== 'object') {
    throw fail('options', 'must be an object', options);
  }
  rejectUnknownOptions('MetricsModule', options, MODULE_KEYS);
  const registry = options.registry ?? globalRegistry;
  if (!(registry instanceof Registry)) {
    throw fail('registry', 'must be a prom-client Registry', registry);
  }
  const defaultMetrics = bool(options.defaultMetrics, 'defaultMetrics', true);
  const httpMetrics = bool(options.httpMetrics, 'httpMetrics', true);

  const defaultLabels: Record<string, string> = {};
  if (options.commonLabels !== undefined) {
    if (options.commonLabels === null || typeof options.commonLabels !== 'object') {
      throw fail('commonLabels', 'must be an object of label name to string', options.commonLabels);
    }
    for (const [name, value] of Object.entries(options.commonLabels)) {
      if (!isLabelName(name)) throw fail(`commonLabels.${name}`, 'is not a valid label name', name);
      defaultLabels[name] = labelValue(value, `commonLabels.${name}`);
    }
  }
  if (options.service !== undefined) defaultLabels.service = labelValue(options.service, 'service');
  if (options.instance !== undefined) {
    defaultLabels.instance = labelValue(options.instance, 'instance');
  }

  let prefix = options.prefix ?? '';
  if (prefix !== '') {
    if (!isMetricName(prefix)) {
      throw fail('prefix', 'must start a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)', prefix);
    }
    if (!prefix.endsWith('_')) prefix += '_';
  }

  const path = options.path ?? DEFAULTS.path;
  if (typeof path !== 'string' || !path.startsWith('/') || /[\s?#]/.test(path)) {
    throw fail('path', 'must be a URL path starting with "/" (no query, no spaces)', path);
  }
  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw fail('port', 'must be an integer from 0 to 65535', port);
  }
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    throw fail('host', 'must be a non-empty string', options.host);
  }

  const base =
    options.buckets === undefined ? [...DEFAULT_BUCKETS] : normaliseBuckets(options.buckets);
  if (!base) throw fail('buckets', 'must be a non-empty list of positive numbers', options.buckets);
  const slo = options.slo === undefined ? [] : normaliseBuckets(options.slo);
  if (!slo) throw fail('slo', 'must be a non-empty list of positive numbers', options.slo);
  const buckets = normaliseBuckets([...base, ...slo]) as number[];

  const maxSeries = options.maxSeriesPerMetric ?? DEFAULTS.maxSeriesPerMetric;
  if (!Number.isInteger(maxSeries) || maxSeries < 1) {
    throw fail('maxSeriesPerMetric', 'must be an integer >= 1', maxSeries);
  }

  return {
    registry,
    defaultMetrics,
    defaultLabels,
    prefix,
    path,
    port,
    host: options.host,
    buckets,
    httpMetrics,
    maxSeriesPerMetric: maxSeries,
  };
}

function bool(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw fail(option, 'must be a boolean', value);
  return value;
}

function labelValue(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') {
    throw fail(option, 'must be a non-empty string', value);
  }
  return value;
}
