import { cannotWrapMessage } from './core.messages';
import { KeelConfigError } from './core.errors';
import { getKeelDecoratorOrder, type MetadataKey } from './keel-decorator';
import type { AnyFn, DiscoveredMethod, MethodLayer } from './discovered-method';

const TRAMPOLINE = Symbol('keel.trampoline');
const LAYERS = Symbol('keel.layers');

interface TrampolineInfo {
  readonly original: AnyFn;
  /** Per-trampoline key of the composed chain on each instance. */
  readonly slot: symbol;
}

type Trampoline = AnyFn & { readonly [TRAMPOLINE]: TrampolineInfo };

interface LayerEntry {
  readonly layer: MethodLayer;
  readonly handler: DiscoveredMethod;
}

/** Layers of one method on one instance, kept on the instance so every registry agrees. */
type InstanceLayers = Map<string, Map<MetadataKey, LayerEntry>>;

export function isTrampoline(fn: unknown): fn is Trampoline {
  return typeof fn === 'function' && TRAMPOLINE in fn;
}

/** The undecorated method behind a trampoline (or the function itself). */
export function getOriginalMethod<F extends (...args: never[]) => unknown>(fn: F): F {
  return isTrampoline(fn) ? (fn[TRAMPOLINE].original as unknown as F) : fn;
}

export type InstallResult = 'installed' | 'present' | 'not-a-method' | 'not-writable';

/**
 * Replaces `prototype[methodName]` with a trampoline that runs the calling instance's own
 * composed chain, or the original when the instance has none (another app's instance, or one
 * made with `new`). Idempotent: an own or inherited trampoline is left alone, since it already
 * dispatches per instance.
 */
export function installTrampoline(prototype: object, methodName: string): InstallResult {
  const current: unknown = Reflect.get(prototype, methodName);
  if (typeof current !== 'function') return 'not-a-method';
  if (isTrampoline(current)) return 'present';
  const own = Object.getOwnPropertyDescriptor(prototype, methodName);
  if (own && !own.configurable && !own.writable) return 'not-writable';

  const original = current as AnyFn;
  const slot = Symbol(`keel.chain:${methodName}`);
  const trampoline = function (this: unknown): unknown {
    const chain = (this as Record<symbol, AnyFn | undefined> | null | undefined)?.[slot];
    // `arguments` straight into apply measured ~10% faster than a rest array on Node 20.
    // eslint-disable-next-line prefer-rest-params
    return (chain ?? original).apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(trampoline, 'name', { value: original.name, configurable: true });
  Object.defineProperty(trampoline, 'length', { value: original.length, configurable: true });
  // Route paths, guards, pipes and every other decorator read metadata off the function.
  for (const key of Reflect.getOwnMetadataKeys(original)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, original), trampoline);
  }
  const info: TrampolineInfo = { original, slot };
  Object.defineProperty(trampoline, TRAMPOLINE, { value: info });
  Object.defineProperty(prototype, methodName, {
    value: trampoline,
    writable: own?.writable ?? true,
    enumerable: own?.enumerable ?? false,
    configurable: true,
  });
  return 'installed';
}

/**
 * Adds (or replaces: one layer per decorator key) a layer on one instance's method and
 * recomposes that instance's chain. Returns whether a trampoline had to be installed now.
 */
export function addMethodLayer<T>(handler: DiscoveredMethod<T>, layer: MethodLayer<T>): boolean {
  const { instance, methodName } = handler;
  const prototype = Object.getPrototypeOf(instance) as object;
  const installed = installTrampoline(prototype, methodName);
  if (installed === 'not-a-method' || installed === 'not-writable') {
    throw new KeelConfigError(cannotWrapMessage(handler.className, methodName, installed));
  }
  const trampoline = Reflect.get(prototype, methodName) as Trampoline;

  let all = (instance as { [LAYERS]?: InstanceLayers })[LAYERS];
  if (!all) {
    all = new Map();
    Object.defineProperty(instance, LAYERS, { value: all });
  }
  let layers = all.get(methodName);
  if (!layers) {
    layers = new Map();
    all.set(methodName, layers);
  }
  layers.set(handler.metadataKey, {
    layer: layer as MethodLayer,
    handler,
  });

  const { original, slot } = trampoline[TRAMPOLINE];
  Object.defineProperty(instance, slot, {
    value: compose(original.bind(instance), getKeelDecoratorOrder(trampoline), layers),
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return installed === 'installed';
}

/** The decorator keys layered on an instance's method, outermost last. */
export function getLayerKeys(instance: object, methodName: string): MetadataKey[] {
  const layers = (instance as { [LAYERS]?: InstanceLayers })[LAYERS]?.get(methodName);
  if (!layers) return [];
  const prototype = Object.getPrototypeOf(instance) as object;
  const method = Reflect.get(prototype, methodName) as AnyFn;
  return orderedKeys(getKeelDecoratorOrder(method), layers);
}

function compose(
  base: AnyFn,
  order: readonly MetadataKey[],
  layers: Map<MetadataKey, LayerEntry>,
): AnyFn {
  let fn = base;
  for (const key of orderedKeys(order, layers)) {
    const entry = layers.get(key) as LayerEntry;
    fn = entry.layer(fn, entry.handler);
  }
  return fn;
}

// Keys in decorator order (innermost first); keys not in it go outside, by registration.
function orderedKeys(order: readonly MetadataKey[], layers: Map<MetadataKey, LayerEntry>) {
  const keys = order.filter((key) => layers.has(key));
  for (const key of layers.keys()) if (!keys.includes(key)) keys.push(key);
  return keys;
}
