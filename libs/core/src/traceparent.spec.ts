import { KeelError } from './core.errors';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './traceparent';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${SPAN}-01`;

describe('traceparent', () => {
  it('parses a valid header', () => {
    expect(parseTraceparent(VALID)).toEqual({
      version: '00',
      traceId: TRACE,
      spanId: SPAN,
      traceFlags: '01',
    });
    expect(parseTraceparent(`  ${VALID} `)?.traceId).toBe(TRACE);
  });

  it('round-trips through format', () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    const header = formatTraceparent({ traceId, spanId, traceFlags: '00' });
    expect(parseTraceparent(header)).toEqual({ version: '00', traceId, spanId, traceFlags: '00' });
    expect(formatTraceparent({ traceId, spanId })).toMatch(/-01$/);
  });

  it('accepts a future version with extra fields', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)?.version).toBe('01');
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with extra fields', `${VALID}-extra`],
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['bad flags', `00-${TRACE}-${SPAN}-0x`],
    ['wrong separators', `00_${TRACE}_${SPAN}_01`],
  ])('rejects %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('generates lowercase hex ids of the right size, different each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newTraceId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses to format invalid ids', () => {
    expect(() => formatTraceparent({ traceId: '0'.repeat(32), spanId: SPAN })).toThrow(KeelError);
    expect(() => formatTraceparent({ traceId: TRACE, spanId: 'xyz' })).toThrow(/spanId "xyz"/);
    expect(() => formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: '1' })).toThrow(
      KeelError,
    );
  });
});
