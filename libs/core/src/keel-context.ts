import { AsyncLocalStorage } from 'node:async_hooks';

/** What every Keel lib can know about the current request or message. */
export interface KeelContext {
  requestId?: string;
  traceId?: string;
  spanId?: string;
  /** The caller's span, when the work came with a valid `traceparent`. */
  parentSpanId?: string;
  traceFlags?: string;
  /** Extra fields that loggers add to every line (e.g. `paymentId`). */
  fields: Record<string, unknown>;
}

export type KeelContextInit = Partial<KeelContext>;

// Private per-lib state travels with the context but stays out of its public shape: a private
// field, so spreads, loggers and equality checks never see it. (A hidden defined property
// measured slow and made stores dictionary-mode; a WeakMap cost more in GC.)
class Store implements KeelContext {
  declare requestId?: string;
  declare traceId?: string;
  declare spanId?: string;
  declare parentSpanId?: string;
  declare traceFlags?: string;
  fields: Record<string, unknown>;
  #slots: Map<symbol, unknown> | undefined;

  constructor(parent: Store | undefined, init: KeelContextInit) {
    const requestId = init.requestId ?? parent?.requestId;
    const traceId = init.traceId ?? parent?.traceId;
    const spanId = init.spanId ?? parent?.spanId;
    const parentSpanId = init.parentSpanId ?? parent?.parentSpanId;
    const traceFlags = init.traceFlags ?? parent?.traceFlags;
    if (requestId !== undefined) this.requestId = requestId;
    if (traceId !== undefined) this.traceId = traceId;
    if (spanId !== undefined) this.spanId = spanId;
    if (parentSpanId !== undefined) this.parentSpanId = parentSpanId;
    if (traceFlags !== undefined) this.traceFlags = traceFlags;
    this.fields = { ...parent?.fields, ...init.fields };
    const slots = parent ? parent.#slots : undefined;
    if (slots) this.#slots = new Map(slots);
  }

  getSlot(slot: symbol): unknown {
    return this.#slots?.get(slot);
  }

  setSlot(slot: symbol, value: unknown): void {
    (this.#slots ??= new Map()).set(slot, value);
  }
}

const storage = new AsyncLocalStorage<Store>();

/**
 * Runs `fn` in a new context. Inside another context, the new one starts from a copy of the
 * enclosing one (ids, fields and slots), so inner changes never leak out.
 */
export function runWithContext<R>(init: KeelContextInit, fn: () => R): R {
  return storage.run(new Store(storage.getStore(), init), fn);
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
  return storage.getStore()?.getSlot(slot) as T | undefined;
}

/** Sets a lib's private value; returns false (and does nothing) outside a context. */
export function setContextSlot(slot: symbol, value: unknown): boolean {
  const store = storage.getStore();
  if (!store) return false;
  store.setSlot(slot, value);
  return true;
}
