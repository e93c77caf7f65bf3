import { runWithContext, getContext } from './keel-context';
import { incomingTraceContext, outgoingTraceparent, sanitizeRequestId } from './trace-headers';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('trace headers', () => {
  it('continues a valid traceparent in a new span with the caller span as parent', () => {
    const ctx = incomingTraceContext(`00-${TRACE}-${SPAN}-00`, 'req-1');
    expect(ctx).toMatchObject({
      requestId: 'req-1',
      traceId: TRACE,
      parentSpanId: SPAN,
      traceFlags: '00',
    });
    expect(ctx.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ctx.spanId).not.toBe(SPAN);
  });

  it('starts a new trace for a missing or invalid traceparent, and drops an unsafe request id', () => {
    for (const header of [undefined, 'garbage', `00-${'0'.repeat(32)}-${SPAN}-01`]) {
      const ctx = incomingTraceContext(header, '4111 1111 1111 1111');
      expect(ctx.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(ctx.traceId).not.toBe(TRACE);
      expect(ctx.parentSpanId).toBeUndefined();
      expect(ctx.requestId).toBeUndefined();
    }
    expect(sanitizeRequestId(' id-7 ')).toBe('id-7');
    expect(sanitizeRequestId('4111111111111111')).toBeUndefined();
    expect(sanitizeRequestId(42)).toBeUndefined();
  });

  it.each([
    'pan4111111111111111',
    'req-4111-1111-1111-1111',
    'x1234567890123',
    'card%3D4111111111111111',
  ])('refuses a request id that holds a card number or 13+ digits: %s', (id) => {
    expect(sanitizeRequestId(id)).toBeUndefined();
  });

  it('keeps UUIDs, ULIDs and ids with shorter digit runs', () => {
    for (const id of [
      '550e8400-e29b-41d4-a716-446655440000',
      '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      'req-123456789012',
    ]) {
      expect(sanitizeRequestId(id)).toBe(id);
    }
  });

  it('names the current span as the parent of outgoing calls, and never passes on broken ids', () => {
    expect(outgoingTraceparent(undefined)).toBeNull();
    expect(outgoingTraceparent({ fields: {} })).toBeNull();
    expect(outgoingTraceparent({ traceId: 'not-hex', spanId: SPAN, fields: {} })).toBeNull();
    expect(
      outgoingTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: '00', fields: {} }),
    ).toBe(`00-${TRACE}-${SPAN}-00`);
    const newSpan = outgoingTraceparent({ traceId: TRACE, spanId: 'short', fields: {} });
    expect(newSpan).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  });

  it('keeps the parent span in core context, inherited by nested contexts', () => {
    runWithContext(incomingTraceContext(`00-${TRACE}-${SPAN}-01`, undefined), () => {
      runWithContext({ fields: { paymentId: 'p1' } }, () => {
        expect(getContext()).toMatchObject({ traceId: TRACE, parentSpanId: SPAN });
      });
    });
  });
});
