import { maskCardNumbers } from './card-numbers';
import type { KeelContext, KeelContextInit } from './keel-context';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './traceparent';

// One codec for the ids that travel in headers (HTTP requests, Kafka messages), so every lib
// continues a trace the same way and the log lines of caller and callee join up.

export const TRACEPARENT_HEADER = 'traceparent';
export const REQUEST_ID_HEADER = 'x-request-id';
const MAX_REQUEST_ID_LENGTH = 128;

// Letters, digits and the punctuation of UUIDs, ULIDs and base64: nothing that can break a log
// line or a header (no spaces, quotes, control characters).
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]+$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
// a card number hides in any run this long, whether it passes the Luhn check or not
const LONG_DIGIT_RUN = /\d{13}/;
// what a message without trace headers starts from: shared, one object less per message
const NOTHING: KeelContextInit = Object.freeze({});

/**
 * The incoming request id if it is sane: 1–128 characters from a safe set, no run of 13 or more
 * digits and no card data (a caller must not be able to put a PAN into every log line and every
 * header sent on).
 * Otherwise undefined.
 */
export function sanitizeRequestId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  if (id.length === 0 || id.length > MAX_REQUEST_ID_LENGTH || !REQUEST_ID.test(id))
    return undefined;
  return LONG_DIGIT_RUN.test(id) || maskCardNumbers(id) !== id ? undefined : id;
}

/** The context of work that arrived with these header values. */
export interface IncomingTraceContext extends KeelContextInit {
  traceId: string;
  spanId: string;
  traceFlags: string;
}

/**
 * What the header values say, for runInRootSpan (or runInNewSpan): the caller's trace, with the caller's span as
 * parent, when the `traceparent` is valid; the request id when sane (see sanitizeRequestId).
 */
export function incomingTrace(traceparent: unknown, requestId: unknown): KeelContextInit {
  const parent = parseTraceparent(traceparent);
  const id = requestId === undefined ? undefined : sanitizeRequestId(requestId);
  if (parent === null) return id === undefined ? NOTHING : { requestId: id };
  return {
    requestId: id,
    traceId: parent.traceId,
    traceFlags: parent.traceFlags,
    parentSpanId: parent.spanId,
  };
}

/**
 * incomingTrace with the new span's ids made now: the caller's trace continues in a new span;
 * an invalid or missing `traceparent` starts a new trace. The request id is undefined unless
 * sane (the caller decides whether to make one up).
 */
export function incomingTraceContext(
  traceparent: unknown,
  requestId: unknown,
): IncomingTraceContext {
  const t = incomingTrace(traceparent, requestId);
  return {
    ...t,
    traceId: t.traceId ?? newTraceId(),
    spanId: newSpanId(),
    traceFlags: t.traceFlags ?? '01',
  };
}

/**
 * The `traceparent` for a call made from `ctx`: its trace, with its current span as the parent
 * id, so the callee logs our `spanId` as its `parentSpanId`. Ids put into the context by hand are
 * checked, never passed on broken: a valid trace id with no valid span gets a new span; without
 * a valid trace id, null.
 */
export function outgoingTraceparent(ctx: Readonly<KeelContext> | undefined): string | null {
  const traceId = ctx?.traceId;
  if (traceId === undefined || !TRACE_ID.test(traceId)) return null;
  const current = parseTraceparent(`00-${traceId}-${ctx!.spanId ?? ''}-${ctx!.traceFlags ?? '01'}`);
  return current
    ? `00-${current.traceId}-${current.spanId}-${current.traceFlags}`
    : formatTraceparent({ traceId, spanId: newSpanId() });
}
