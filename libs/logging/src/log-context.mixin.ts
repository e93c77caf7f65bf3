import { getContext } from '@keel/core';

/**
 * pino `mixin`: every line gets the ids and fields of core's current context, whoever started
 * it (the HTTP middleware, a Kafka handler, a job, or `runWithContext` in user code).
 */
export function contextMixin(): Record<string, unknown> {
  const ctx = getContext();
  // A fresh object each time: pino merges the line's own fields into it.
  const out: Record<string, unknown> = {};
  if (ctx === undefined) return out;
  if (ctx.requestId !== undefined) out.requestId = ctx.requestId;
  if (ctx.traceId !== undefined) out.traceId = ctx.traceId;
  if (ctx.spanId !== undefined) out.spanId = ctx.spanId;
  if (ctx.parentSpanId !== undefined) out.parentSpanId = ctx.parentSpanId;
  const fields = ctx.fields;
  for (const key in fields) out[key] = fields[key];
  return out;
}
