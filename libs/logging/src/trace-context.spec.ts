import { getContext, parseTraceparent, runWithContext } from '@keel/core';
import {
  contextFromHeaders,
  getParentSpanId,
  outgoingTraceHeaders,
  runWithTraceContext,
  sanitizeRequestId,
} from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('request id sanitising', () => {
  it.each(['abc', 'req-1', '550e8400-e29b-41d4-a716-446655440000', 'a.b:c/d+e=', 'x'.repeat(128)])(
    'keeps %s',
    (id) => expect(sanitizeRequestId(id)).toBe(id),
  );

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['spaces', 'a b'],
    ['quotes', 'a"b'],
    ['newline', 'a\nb'],
    ['non-ascii', 'ä'],
    ['a card number', '4111111111111111'],
  ])('rejects %s', (_name, id) => expect(sanitizeRequestId(id)).toBeUndefined());
});

describe('contextFromHeaders', () => {
  it('keeps a valid traceparent: same trace, new span, caller span as parent', () => {
    const ctx = contextFromHeaders({ traceparent: `00-${TRACE}-${SPAN}-01`, 'x-request-id': 'r1' });
    expect(ctx).toMatchObject({
      requestId: 'r1',
      traceId: TRACE,
      parentSpanId: SPAN,
      traceFlags: '01',
    });
    expect(ctx.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ctx.spanId).not.toBe(SPAN);
  });

  it.each([
    'garbage',
    `00-${'0'.repeat(32)}-${SPAN}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `ff-${TRACE}-${SPAN}-01`,
    `00-${TRACE.toUpperCase()}-${SPAN}-01`,
  ])('replaces an invalid traceparent %s with new ids', (header) => {
    const ctx = contextFromHeaders({ traceparent: header });
    expect(ctx.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ctx.traceId).not.toBe(TRACE);
    expect(ctx.parentSpanId).toBeUndefined();
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads Kafka-style Buffer headers and arrays', () => {
    const ctx = contextFromHeaders({
      traceparent: Buffer.from(`00-${TRACE}-${SPAN}-00`),
      'x-request-id': ['first', 'second'],
    });
    expect(ctx).toMatchObject({ requestId: 'first', traceId: TRACE, traceFlags: '00' });
  });
});

describe('runWithTraceContext and outgoingTraceHeaders', () => {
  it('puts ids into core context and names the current span as the parent of outgoing calls', () => {
    const incoming = contextFromHeaders({
      traceparent: `00-${TRACE}-${SPAN}-01`,
      'x-request-id': 'r9',
    });
    runWithTraceContext(incoming, () => {
      expect(getContext()).toMatchObject({
        requestId: 'r9',
        traceId: TRACE,
        spanId: incoming.spanId,
      });
      expect(getParentSpanId()).toBe(SPAN);
      const out = outgoingTraceHeaders();
      expect(out['x-request-id']).toBe('r9');
      const parsed = parseTraceparent(out.traceparent);
      expect(parsed).toMatchObject({ traceId: TRACE, traceFlags: '01' });
      expect(parsed?.spanId).toBe(incoming.spanId);
    });
    expect(getParentSpanId()).toBeUndefined();
  });

  it('starts a new trace outside a context, or when the context holds a broken trace id', () => {
    expect(outgoingTraceHeaders()['x-request-id']).toBeUndefined();
    expect(parseTraceparent(outgoingTraceHeaders().traceparent)).not.toBeNull();
    runWithContext({ traceId: 'not-hex', requestId: 'r' }, () => {
      expect(parseTraceparent(outgoingTraceHeaders().traceparent)?.traceId).not.toBe('not-hex');
    });
  });
});
