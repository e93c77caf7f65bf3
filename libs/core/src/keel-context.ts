import { AsyncLocalStorage } from 'node:async_hooks';
import { newSpanId, newTraceId } from './traceparent';

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
  // a new span whose ids are made when first read (see runInNewSpan)
  #mint = false;

  constructor(parent: Store | undefined, init: KeelContextInit, newSpan = false) {
    const requestId = init.requestId ?? parent?.requestId;
    const traceId = init.traceId ?? parent?.traceId;
    const spanId = newSpan ? undefined : (init.spanId ?? parent?.spanId);
    const parentSpanId = newSpan
      ? (init.parentSpanId ?? parent?.spanId)
      : (init.parentSpanId ?? parent?.parentSpanId);
    const traceFlags = init.traceFlags ?? parent?.traceFlags;
    if (requestId !== undefined) this.requestId = requestId;
    if (traceId !== undefined) this.traceId = traceId;
    if (spanId !== undefined) this.spanId = spanId;
    if (parentSpanId !== undefined) this.parentSpanId = parentSpanId;
    if (traceFlags !== undefined) this.traceFlags = traceFlags;
    this.fields = parent || init.fields ? { ...parent?.fields, ...init.fields } : {};
    const slots = parent ? parent.#slots : undefined;
    if (slots) this.#slots = new Map(slots);
    if (newSpan) this.#mint = true;
  }

  /** Makes a new span's ids, once; every public read of the store goes through here. */
  ready(): this {
    if (this.#mint) {
      this.#mint = false;
      this.traceId ??= newTraceId();
      this.spanId = newSpanId();
      this.traceFlags ??= '01';
    }
    return this;
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
  return storage.run(new Store(storage.getStore()?.ready(), init), fn);
}

/**
 * Runs `fn` in a new span: like runWithContext, plus a new `spanId` whose parent is the enclosing
 * span (or `init.parentSpanId`), in the enclosing trace (or `init.traceId`, else a new trace).
 * The ids are made when the context is first read, so work that never logs or calls out (most
 * Kafka messages of a busy consumer) does not pay for random ids.
 */
export function runInNewSpan<R>(init: KeelContextInit, fn: () => R): R {
  return storage.run(new Store(storage.getStore()?.ready(), init, true), fn);
}

/**
 * runInNewSpan for work that arrives from outside (a consumed message): the span starts from
 * `init` alone (its remote parent, trace and request id), never from the enclosing context,
 * which is only whatever the consumer loop happens to run in.
 */
export function runInRootSpan<R>(init: KeelContextInit, fn: () => R): R {
  return storage.run(new Store(undefined, init, true), fn);
}

/** The current context, or `undefined` outside one. */
export function getContext(): Readonly<KeelContext> | undefined {
  return storage.getStore()?.ready();
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
