import {
  REQUEST_ID_HEADER,
  TRACEPARENT_HEADER,
  type KeelContext,
  type KeelContextInit,
} from '@keel/core';
import { incomingTrace, outgoingTraceparent } from '@keel/core/internal';
import type { IHeaders } from 'kafkajs';

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
 * `x-request-id` and a `traceparent` for a message sent from `ctx` (core's codec: the current
 * span is the parent, so the consumer's log lines name it as their `parentSpanId`). Nothing
 * outside a context.
 */
export function contextHeaders(ctx: Readonly<KeelContext> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ctx) return out;
  if (ctx.requestId) out[REQUEST_ID_HEADER] = ctx.requestId;
  const traceparent = outgoingTraceparent(ctx);
  if (traceparent) out[TRACEPARENT_HEADER] = traceparent;
  return out;
}

/**
 * What a consumed message's context starts from (run it with core's runInRootSpan): its trace,
 * with the producer's span as parent; a request id only if sane (see core's sanitizeRequestId).
 * The codec is core's incomingTrace, the one HTTP requests go through too.
 */
export function messageTraceContext(headers: Readonly<Record<string, string>>): KeelContextInit {
  return incomingTrace(headers[TRACEPARENT_HEADER], headers[REQUEST_ID_HEADER]);
}

/**
 * What a batch's span starts from: the trace its messages share when they all carry one (a
 * batch published from one request), with the first message's producer span as parent and the
 * request id they share, if any; otherwise nothing (a new trace). Compares raw header values,
 * not parsed ones: this runs once per batch but looks at every message.
 */
export function batchContextFromHeaders(
  messages: readonly { readonly headers: Readonly<Record<string, string>> }[],
): KeelContextInit {
  if (messages.length === 0) return {};
  const first = messages[0].headers;
  const trace = traceIdOf(first[TRACEPARENT_HEADER]);
  if (trace === undefined) return {};
  let sameRequest = true;
  for (const { headers: h } of messages) {
    if (traceIdOf(h[TRACEPARENT_HEADER]) !== trace) return {};
    if (h[REQUEST_ID_HEADER] !== first[REQUEST_ID_HEADER]) sameRequest = false;
  }
  return incomingTrace(
    first[TRACEPARENT_HEADER],
    sameRequest ? first[REQUEST_ID_HEADER] : undefined,
  );
}

// `00-<trace id>-<span id>-<flags>`: the trace id part, unparsed (incomingTrace checks it)
function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent === undefined || traceparent.length < 35
    ? undefined
    : traceparent.slice(3, 35);
}
