import { setTimeout as sleep } from 'node:timers/promises';
import {
  assignContext,
  getContext,
  getContextSlot,
  runInNewSpan,
  runInRootSpan,
  runWithContext,
  setContextSlot,
} from './keel-context';

describe('keel context', () => {
  it('is undefined outside a run, and assign/slots are harmless no-ops there', () => {
    expect(getContext()).toBeUndefined();
    expect(() => assignContext({ a: 1 })).not.toThrow();
    expect(assignContext({ a: 1 })).toBe(false);
    expect(setContextSlot(Symbol('x'), 1)).toBe(false);
    expect(getContextSlot(Symbol('x'))).toBeUndefined();
  });

  it('carries ids and fields across awaits', async () => {
    const seen = await runWithContext({ requestId: 'r-1', fields: { user: 'u' } }, async () => {
      await sleep(1);
      assignContext({ paymentId: 'p-1' });
      await sleep(1);
      return getContext();
    });
    expect(seen).toEqual({ requestId: 'r-1', fields: { user: 'u', paymentId: 'p-1' } });
    expect(getContext()).toBeUndefined();
  });

  it('returns the function result, sync stays sync', () => {
    expect(runWithContext({}, () => 42)).toBe(42);
  });

  it('nests: the inner run starts from a copy and never leaks out', () => {
    const slot = Symbol('lock.held');
    runWithContext({ requestId: 'outer', traceId: 't-1', fields: { a: 1 } }, () => {
      setContextSlot(slot, 'outer-lock');
      runWithContext({ requestId: 'inner', fields: { b: 2 } }, () => {
        expect(getContext()).toEqual({
          requestId: 'inner',
          traceId: 't-1',
          fields: { a: 1, b: 2 },
        });
        expect(getContextSlot(slot)).toBe('outer-lock');
        assignContext({ c: 3 });
        setContextSlot(slot, 'inner-lock');
      });
      expect(getContext()).toEqual({ requestId: 'outer', traceId: 't-1', fields: { a: 1 } });
      expect(getContextSlot(slot)).toBe('outer-lock');
    });
  });

  it('keeps slots out of the public shape', () => {
    runWithContext({}, () => {
      setContextSlot(Symbol('private'), 'secret');
      expect(JSON.stringify(getContext())).toBe('{"fields":{}}');
    });
  });

  it('isolates concurrent runs', async () => {
    const run = (id: string, delay: number) =>
      runWithContext({ requestId: id }, async () => {
        assignContext({ id });
        await sleep(delay);
        const ctx = getContext();
        return `${ctx?.requestId}/${String(ctx?.fields.id)}`;
      });
    const results = await Promise.all([run('a', 15), run('b', 1), run('c', 8)]);
    expect(results).toEqual(['a/a', 'b/b', 'c/c']);
  });

  describe('runInNewSpan', () => {
    const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
    const SPAN = '00f067aa0ba902b7';

    it('starts a new trace outside a context, with ids made once and kept', () => {
      runInNewSpan({ requestId: 'r1' }, () => {
        const first = { ...getContext() };
        expect(first).toMatchObject({ requestId: 'r1', traceFlags: '01', fields: {} });
        expect(first.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(first.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(first.parentSpanId).toBeUndefined();
        expect(getContext()).toEqual(first);
        expect(JSON.parse(JSON.stringify(getContext()))).toEqual(first);
      });
    });

    it("continues the given trace under the given parent, or the enclosing span's", () => {
      runInNewSpan({ traceId: TRACE, parentSpanId: SPAN, traceFlags: '00' }, () => {
        const outer = getContext()!;
        expect(outer).toMatchObject({ traceId: TRACE, parentSpanId: SPAN, traceFlags: '00' });
        expect(outer.spanId).not.toBe(SPAN);
        runInNewSpan({}, () => {
          const inner = getContext()!;
          expect(inner).toMatchObject({ traceId: TRACE, parentSpanId: outer.spanId });
          expect(inner.spanId).not.toBe(outer.spanId);
        });
      });
    });

    it('gives a nested plain context the same span, made on the way in', () => {
      runInNewSpan({}, () => {
        const spanInside = runWithContext({ fields: { a: 1 } }, () => getContext()!.spanId);
        expect(spanInside).toMatch(/^[0-9a-f]{16}$/);
        expect(getContext()!.spanId).toBe(spanInside);
      });
    });
  });

  describe('runInRootSpan', () => {
    it('takes nothing from the enclosing context, only from init', () => {
      runWithContext({ requestId: 'outer', traceId: 'a'.repeat(32), fields: { a: 1 } }, () => {
        runInRootSpan({ parentSpanId: '00f067aa0ba902b7' }, () => {
          const ctx = { ...getContext() };
          expect(ctx).toMatchObject({ parentSpanId: '00f067aa0ba902b7', fields: {} });
          expect(ctx.requestId).toBeUndefined();
          expect(ctx.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(ctx.traceId).not.toBe('a'.repeat(32));
          expect(ctx.spanId).toMatch(/^[0-9a-f]{16}$/);
          assignContext({ b: 2 });
        });
        expect(getContext()).toMatchObject({ requestId: 'outer', fields: { a: 1 } });
        expect(getContext()!.fields).not.toHaveProperty('b');
      });
    });

    it('gives each run its own fields object', () => {
      const first = runInRootSpan({}, () => getContext()!.fields);
      const second = runInRootSpan({}, () => getContext()!.fields);
      expect(first).not.toBe(second);
    });
  });
});
