// Every error and warning text of @keel/metrics, so they read alike.
import { describeValue, numberHint } from '@keel/core/internal';

export const optionMessage = (option: string, rule: string, got: unknown): string =>
  `MetricsModule: \`${option}\` ${rule}, got ${describeValue(got)}.${numberHint(option, got)}`;

export const decoratorMessage = (where: string, problem: string): string => `${where}: ${problem}`;

export const metricConflictMessage = (name: string, problem: string): string =>
  `Metric "${name}" is already registered ${problem}. Give this metric another name, or use a ` +
  'separate registry (MetricsModule `registry` option).';

export const cardinalityCapMessage = (name: string, max: number): string =>
  `Metric "${name}" reached its cap of ${max} label sets: observations with new label values ` +
  'are dropped (existing series keep working). Look for a label fed from unbounded input, or ' +
  'raise MetricsModule `maxSeriesPerMetric`.';

export const portInUseMessage = (port: number, host: string | undefined, reason: string): string =>
  `MetricsModule: cannot serve metrics on \`port\` ${port}${host ? ` (host ${host})` : ''}: ` +
  `${reason}. Pick a free port, or leave \`port\` out to serve them on the app's port.`;

export const notExpressMessage = (type: string): string =>
  `HTTP server metrics need the Express adapter; this app uses "${type}", so ` +
  'http_server_requests_seconds is not recorded. Set `httpMetrics: false` to silence this.';
