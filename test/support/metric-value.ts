import type { Registry } from 'prom-client';

/**
 * The value of a counter or gauge series with these labels (summed over matching series), or the
 * sample count of a histogram's matching series; 0 when the metric does not exist yet.
 */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  return data.values
    .filter((v) =>
      Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val),
    )
    .filter((v) => {
      const metricName = (v as { metricName?: string }).metricName;
      return metricName === undefined || metricName === `${name}_count`;
    })
    .reduce((sum, v) => sum + v.value, 0);
}
