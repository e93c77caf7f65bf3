import { setTimeout as sleep } from 'node:timers/promises';
import {
  assignContext,
  getContext,
  getContextSlot,
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
});
