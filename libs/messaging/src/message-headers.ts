import {
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  type KeelContext,
  type KeelContextInit,
} from '@keel/core';
import type { IHeaders } from 'kafkajs';
import { HEADER_REQUEST_ID, HEADER_TRACEPARENT } from './messaging.constants';

// shared by every message without headers: one object less per message
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** Kafka headers as plain strings (the last value wins for repeated headers). */
export function headersToRecord(headers: IHeaders | undefined): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name];
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    if (v === undefined) continue;
    (out ??= {})[name] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out ?? NO_HEADERS;
}

/**
 * `x-request-id` and a `traceparent` for a message sent from `ctx`: the producer's send is a
 * child span of the current one, so consumers continue the same trace.
 */
export function contextHeaders(ctx: Readonly<KeelContext> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ctx) return out;
  if (ctx.requestId) out[HEADER_REQUEST_ID] = ctx.requestId;
  if (ctx.traceId) {
    out[HEADER_TRACEPARENT] = formatTraceparent({
      traceId: ctx.traceId,
      spanId: newSpanId(),
      traceFlags: ctx.traceFlags,
    });
  }
  return out;
}

/** The context a consumed message runs in: its trace continues, in a new span. */
export function contextFromHeaders(headers: Readonly<Record<string, string>>): KeelContextInit {
  const parent = parseTraceparent(headers[HEADER_TRACEPARENT]);
  return {
    requestId: headers[HEADER_REQUEST_ID] || undefined,
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    traceFlags: parent?.traceFlags ?? '01',
  };
}
