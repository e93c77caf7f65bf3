import { randomUUID } from 'node:crypto';
import {
  formatTraceparent,
  getContext,
  getContextSlot,
  newSpanId,
  newTraceId,
  parseTraceparent,
  runWithContext,
  setContextSlot,
  type KeelContextInit,
} from '@keel/core';
import { maskCardNumbers } from './card-numbers';
import { PARENT_SPAN_SLOT, REQUEST_ID_HEADER, TRACEPARENT_HEADER } from './logging.constants';

/** Header values as Node, Kafka or a plain map give them. */
export type HeaderValue = string | string[] | Buffer | undefined | null;
export type HeaderBag = Record<string, HeaderValue>;

export interface IncomingTraceContext extends KeelContextInit {
  requestId: string;
  traceId: string;
  spanId: string;
  traceFlags: string;
  /** The caller's span, when a valid `traceparent` came in. */
  parentSpanId?: string;
}

export const MAX_REQUEST_ID_LENGTH = 128;
// Letters, digits and the punctuation of UUIDs, ULIDs and base64: nothing that can break a log
// line or a header (no spaces, quotes, control characters).
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]+$/;

function first(value: HeaderValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value[0];
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * The incoming request id if it is sane: 1–128 characters from a safe set, and not a card
 * number (a caller must not be able to put a PAN into every log line). Otherwise undefined.
 */
export function sanitizeRequestId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  if (id.length === 0 || id.length > MAX_REQUEST_ID_LENGTH || !REQUEST_ID.test(id))
    return undefined;
  return maskCardNumbers(id) === id ? id : undefined;
}

/**
 * The context for work that arrives with headers (an HTTP request, a Kafka message): the
 * caller's request id and trace id when valid, a new span id for this service, and the
 * caller's span as parent. Anything invalid starts afresh.
 */
export function contextFromHeaders(
  headers: HeaderBag,
  requestIdHeader: string = REQUEST_ID_HEADER,
): IncomingTraceContext {
  const requestId = sanitizeRequestId(first(headers[requestIdHeader])) ?? randomUUID();
  const parent = parseTraceparent(first(headers[TRACEPARENT_HEADER]));
  if (parent === null) {
    return { requestId, traceId: newTraceId(), spanId: newSpanId(), traceFlags: '01' };
  }
  return {
    requestId,
    traceId: parent.traceId,
    spanId: newSpanId(),
    traceFlags: parent.traceFlags,
    parentSpanId: parent.spanId,
  };
}

/** Runs `fn` in core's context built from `incoming` (see contextFromHeaders). */
export function runWithTraceContext<R>(incoming: IncomingTraceContext, fn: () => R): R {
  const { parentSpanId, ...init } = incoming;
  return runWithContext(init, () => {
    if (parentSpanId !== undefined) setContextSlot(PARENT_SPAN_SLOT, parentSpanId);
    return fn();
  });
}

/** Runs `fn` with extra log fields (e.g. `{ paymentId }`); core's runWithContext underneath. */
export function runWithLogContext<R>(fields: Record<string, unknown>, fn: () => R): R {
  return runWithContext({ fields }, fn);
}

/** The caller's span id of the current request or message, if it came with a traceparent. */
export function getParentSpanId(): string | undefined {
  return getContextSlot<string>(PARENT_SPAN_SLOT);
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
  // Ids someone put into the context by hand are checked, never passed on broken.
  const current =
    ctx?.traceId === undefined
      ? null
      : parseTraceparent(`00-${ctx.traceId}-${ctx.spanId ?? ''}-${ctx.traceFlags ?? '01'}`);
  const traceparent = formatTraceparent(
    current ?? {
      traceId: ctx?.traceId && /^[0-9a-f]{32}$/.test(ctx.traceId) ? ctx.traceId : newTraceId(),
      spanId: newSpanId(),
    },
  );
  return ctx?.requestId === undefined
    ? { traceparent }
    : { [REQUEST_ID_HEADER]: ctx.requestId, traceparent };
}
