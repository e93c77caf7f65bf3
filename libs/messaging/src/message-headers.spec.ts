import { getContext, parseTraceparent } from '@keel/core';
import { runInNewSpan } from '@keel/core/internal';
import {
  batchContextFromHeaders,
  messageTraceContext,
  contextHeaders,
  headersToRecord,
} from './message-headers';

describe('message headers', () => {
  it('turns Kafka headers into strings', () => {
    expect(
      headersToRecord({
        a: Buffer.from('x'),
        b: 'y',
        c: [Buffer.from('1'), Buffer.from('2')],
        d: undefined,
      }),
    ).toEqual({ a: 'x', b: 'y', c: '2' });
    expect(headersToRecord(undefined)).toEqual({});
  });

  it('adds request id and a traceparent naming the current span as parent', () => {
    const traceId = 'a'.repeat(32);
    const spanId = 'b'.repeat(16);
    const h = contextHeaders({ requestId: 'r1', traceId, spanId, fields: {} });
    expect(h['x-request-id']).toBe('r1');
    expect(parseTraceparent(h.traceparent)).toEqual({
      version: '00',
      traceId,
      spanId,
      traceFlags: '01',
    });
    expect(contextHeaders(undefined)).toEqual({});
    expect(contextHeaders({ fields: {} })).toEqual({});
    // ids put into the context by hand are never passed on broken
    expect(contextHeaders({ traceId: 'not-hex', fields: {} })).toEqual({});
    const noSpan = parseTraceparent(contextHeaders({ traceId, fields: {} }).traceparent);
    expect(noSpan?.traceId).toBe(traceId);
    expect(noSpan?.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('restores the context from headers in a new span, or starts a trace', () => {
    const tp = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-00`;
    const init = messageTraceContext({ traceparent: tp, 'x-request-id': 'r2' });
    const ctx = runInNewSpan(init, () => getContext());
    expect(ctx).toMatchObject({
      requestId: 'r2',
      traceId: 'c'.repeat(32),
      parentSpanId: 'd'.repeat(16),
      traceFlags: '00',
    });
    expect(ctx?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ctx?.spanId).not.toBe('d'.repeat(16));
    const fresh = runInNewSpan(messageTraceContext({ traceparent: 'garbage' }), () => getContext());
    expect(fresh?.requestId).toBeUndefined();
    expect(fresh?.parentSpanId).toBeUndefined();
    expect(fresh?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh?.traceFlags).toBe('01');
    // a request id that would put a card number or a broken line into every log line is dropped
    expect(messageTraceContext({ 'x-request-id': '4111111111111111' }).requestId).toBeUndefined();
    expect(messageTraceContext({ 'x-request-id': 'a\nb' }).requestId).toBeUndefined();
  });

  it("starts a batch's span from the trace its messages share, else from nothing", () => {
    const t1 = `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`;
    const t1b = `00-${'a'.repeat(32)}-${'2'.repeat(16)}-01`;
    const t2 = `00-${'c'.repeat(32)}-${'1'.repeat(16)}-01`;
    const h = (traceparent?: string, rid?: string) => ({
      headers: {
        ...(traceparent ? { traceparent } : {}),
        ...(rid ? { 'x-request-id': rid } : {}),
      },
    });
    expect(batchContextFromHeaders([h(t1, 'r1'), h(t1b, 'r1')])).toEqual({
      requestId: 'r1',
      traceId: 'a'.repeat(32),
      traceFlags: '01',
      parentSpanId: '1'.repeat(16),
    });
    // one trace, several requests: the trace, no request id
    expect(batchContextFromHeaders([h(t1, 'r1'), h(t1b, 'r2')]).requestId).toBeUndefined();
    expect(batchContextFromHeaders([h(t1, 'r1'), h(t2, 'r1')])).toEqual({});
    expect(batchContextFromHeaders([h(t1), h()])).toEqual({});
    expect(batchContextFromHeaders([h('garbage'), h('garbage')])).toEqual({});
    expect(batchContextFromHeaders([])).toEqual({});
  });
});
