import { randomUUID } from 'node:crypto';
import {
  formatTraceparent,
  getContext,
  newSpanId,
  newTraceId,
  REQUEST_ID_HEADER,
  runWithContext,
  TRACEPARENT_HEADER,
} from '@keel/core';
import {
  incomingTraceContext,
  outgoingTraceparent,
  type IncomingTraceContext as CoreIncomingTraceContext,
} from '@keel/core/internal';

export { sanitizeRequestId } from '@keel/core';

/** Header values as Node, Kafka or a plain map give them. */
export type HeaderValue = string | string[] | Buffer | undefined | null;
export type HeaderBag = Record<string, HeaderValue>;

export interface IncomingTraceContext extends CoreIncomingTraceContext {
  requestId: string;
}

function first(value: HeaderValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value[0];
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * The context for work that arrives with headers (an HTTP request, a Kafka message): the
 * caller's request id and trace id when valid, a new span id for this service, and the
 * caller's span as parent. Anything invalid starts afresh; a missing request id is made up.
 */
export function contextFromHeaders(
  headers: HeaderBag,
  requestIdHeader: string = REQUEST_ID_HEADER,
): IncomingTraceContext {
  const incoming = incomingTraceContext(
    first(headers[TRACEPARENT_HEADER]),
    first(headers[requestIdHeader]),
  );
  return { ...incoming, requestId: incoming.requestId ?? randomUUID() };
}

/** Runs `fn` in core's context built from `incoming` (see contextFromHeaders). */
export function runWithTraceContext<R>(incoming: IncomingTraceContext, fn: () => R): R {
  return runWithContext(incoming, fn);
}

/** Runs `fn` with extra log fields (e.g. `{ paymentId }`); core's runWithContext underneath. */
export function runWithLogContext<R>(fields: Record<string, unknown>, fn: () => R): R {
  return runWithContext({ fields }, fn);
}

/** The caller's span id of the current request or message, if it came with a traceparent. */
export function getParentSpanId(): string | undefined {
  return getContext()?.parentSpanId;
}

export interface OutgoingTraceHeaders {
  'x-request-id'?: string;
  traceparent: string;
}

/**
 * Headers for an outgoing call (HTTP or a Kafka message): the current request id and a
 * `traceparent` whose parent id is the current span, so the callee logs our `spanId` as its
 * `parentSpanId` and the two lines join up. Outside any context, a new trace.
 */
export function outgoingTraceHeaders(): OutgoingTraceHeaders {
  const ctx = getContext();
  const traceparent =
    outgoingTraceparent(ctx) ?? formatTraceparent({ traceId: newTraceId(), spanId: newSpanId() });
  return ctx?.requestId === undefined
    ? { traceparent }
    : { [REQUEST_ID_HEADER]: ctx.requestId, traceparent };
}
