import { AsyncLocalStorage } from 'node:async_hooks';

/** What every Keel lib can know about the current request or message. */
export interface KeelContext {
  requestId?: string;
  traceId?: string;
  spanId?: string;
  traceFlags?: string;
  /** Extra fields that loggers add to every line (e.g. `paymentId`). */
  fields: Record<string, unknown>;
}

export type KeelContextInit = Partial<KeelContext>;

const SLOTS = Symbol('keel.context.slots');

// Private per-lib state travels with the context but stays out of its public shape.
type Store = KeelContext & { [SLOTS]?: Map<symbol, unknown> };

const storage = new AsyncLocalStorage<Store>();

/**
 * Runs `fn` in a new context. Inside another context, the new one starts from a copy of the
 * enclosing one (ids, fields and slots), so inner changes never leak out.
 */
export function runWithContext<R>(init: KeelContextInit, fn: () => R): R {
  const parent = storage.getStore();
  const store: Store = { ...parent, ...withoutUndefined(init), fields: { ...parent?.fields } };
  if (init.fields) Object.assign(store.fields, init.fields);
  const slots = parent?.[SLOTS];
  if (slots) defineSlots(store, new Map(slots));
  return storage.run(store, fn);
}

/** The current context, or `undefined` outside one. */
export function getContext(): Readonly<KeelContext> | undefined {
  return storage.getStore();
}

/** Adds fields to the current context; does nothing outside one. Returns whether it applied. */
export function assignContext(fields: Record<string, unknown>): boolean {
  const store = storage.getStore();
  if (!store) return false;
  Object.assign(store.fields, fields);
  return true;
}

/** A lib's private value in the current context, keyed by a symbol the lib owns. */
export function getContextSlot<T>(slot: symbol): T | undefined {
  return storage.getStore()?.[SLOTS]?.get(slot) as T | undefined;
}

/** Sets a lib's private value; returns false (and does nothing) outside a context. */
export function setContextSlot(slot: symbol, value: unknown): boolean {
  const store = storage.getStore();
  if (!store) return false;
  (store[SLOTS] ?? defineSlots(store, new Map())).set(slot, value);
  return true;
}

// Non-enumerable so spreads, loggers and equality checks never see lib internals.
function defineSlots(store: Store, slots: Map<symbol, unknown>): Map<symbol, unknown> {
  Object.defineProperty(store, SLOTS, { value: slots, enumerable: false });
  return slots;
}

function withoutUndefined(init: KeelContextInit): Partial<KeelContext> {
  const out: Partial<KeelContext> = {};
  if (init.requestId !== undefined) out.requestId = init.requestId;
  if (init.traceId !== undefined) out.traceId = init.traceId;
  if (init.spanId !== undefined) out.spanId = init.spanId;
  if (init.traceFlags !== undefined) out.traceFlags = init.traceFlags;
  return out;
}
