import { EventEmitter } from 'node:events';
import { isCardLikeNumber, maskCardNumbers } from '@keel/core';
import pino from 'pino';
import type { SensitiveKeys } from './sensitive-keys';

export interface RedactorOptions {
  /** null: no key-based redaction. */
  keys: SensitiveKeys | null;
  /** Mask Luhn-valid card numbers inside strings (and long integers). */
  cardNumbers: boolean;
  censor: string;
  /** Deeper objects are censored; bounds the cost of odd, huge or circular objects. */
  maxDepth?: number;
}

// Trace ids are hex; a rare all-digit one must not be mistaken for a card and lose correlation.
const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);
// `cvc=123`: the shortest text that can hold card data
const MIN_CARD_TEXT = 7;
const stdErr = pino.stdSerializers.err as (value: unknown) => unknown;

/**
 * One pass over a log object: censors secret keys at any depth and masks card numbers in
 * strings. Copy-on-write: the caller's objects are never changed, and an object with nothing
 * to redact is returned as it is, without a copy.
 */
export class Redactor {
  private readonly keys: SensitiveKeys | null;
  private readonly cards: boolean;
  private readonly censor: string;
  private readonly maxDepth: number;
  private lastRequestId = '';
  private lastRequestIdSafe = '';

  constructor(options: RedactorOptions) {
    this.keys = options.keys;
    this.cards = options.cardNumbers;
    this.censor = options.censor;
    this.maxDepth = options.maxDepth ?? 8;
  }

  /** Whether this redactor does anything at all (else pino runs without the hooks). */
  get active(): boolean {
    return this.keys !== null || this.cards;
  }

  /** A string with its card numbers masked. */
  text(value: string): string {
    return this.cards && value.length >= MIN_CARD_TEXT ? maskCardNumbers(value) : value;
  }

  /** Any value: objects and arrays walked, strings masked. */
  value(value: unknown): unknown {
    return this.walk(value, false, 0, '');
  }

  /** A log object (pino's merged object), redacted. */
  object<T extends object>(obj: T): T {
    return this.walkObject(obj as Record<string, unknown>, false, 0) as T;
  }

  private walk(value: unknown, inCard: boolean, depth: number, key: string): unknown {
    switch (typeof value) {
      case 'string':
        if (!this.cards || value.length < MIN_CARD_TEXT) return value;
        if (ID_KEYS.has(key)) return value;
        return key === 'requestId' ? this.requestIdText(value) : maskCardNumbers(value);
      case 'number':
        return this.cards && value >= 1e13 && isCardLikeNumber(value)
          ? maskCardNumbers(String(value))
          : value;
      case 'object':
        if (value === null) return value;
        // nothing passes unchecked: what is too deep to walk is not logged
        if (depth >= this.maxDepth) return this.censor;
        if (Array.isArray(value)) return this.walkArray(value, inCard, depth + 1);
        return this.walkSpecial(value, inCard, depth);
      default:
        return value;
    }
  }

  // Each kind of object as JSON would write it, checked: an Error as pino's serializer maps it,
  // anything with toJSON as what that returns, Maps and Sets as objects and arrays, a Buffer's
  // bytes as text. Emitters (a raw request or response) are left to their serializers.
  private walkSpecial(value: object, inCard: boolean, depth: number): unknown {
    if (value instanceof Date) return value;
    if (value instanceof Error) return this.walk(stdErr(value), inCard, depth + 1, '');
    if (ArrayBuffer.isView(value)) return this.walkBytes(value);
    if (value instanceof Map) return this.walkObject(mapObject(value), inCard, depth + 1);
    if (value instanceof Set) return this.walkArray([...value], inCard, depth + 1);
    // pino-http's req/res reach formatters.log raw; their serializers map and redact them after
    if (value instanceof EventEmitter) return value;
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      let json: unknown;
      try {
        json = (value as { toJSON(): unknown }).toJSON();
      } catch {
        return this.censor;
      }
      const next = this.walk(json, inCard, depth + 1, '');
      return next === json ? value : next;
    }
    return this.walkObject(value as Record<string, unknown>, inCard, depth + 1);
  }

  private quotesCardData(key: string): boolean {
    return this.keys !== null ? this.keys.quotesCardData(key) : maskCardNumbers(key) !== key;
  }

  // Every line of a request carries its request id: checked once, not on each line.
  private requestIdText(value: string): string {
    if (value !== this.lastRequestId) {
      this.lastRequestId = value;
      this.lastRequestIdSafe = maskCardNumbers(value);
    }
    return this.lastRequestIdSafe;
  }

  private walkBytes(view: ArrayBufferView): unknown {
    if (!this.cards || view.byteLength < MIN_CARD_TEXT) return view;
    const text = Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('latin1');
    const masked = maskCardNumbers(text);
    return masked === text ? view : `[bytes: ${masked}]`;
  }

  private walkObject(
    obj: Record<string, unknown>,
    inCard: boolean,
    depth: number,
  ): Record<string, unknown> {
    const keys = this.keys;
    let out: Record<string, unknown> | undefined;
    for (const key in obj) {
      const value = obj[key];
      // a key can quote card data too (`{ "4111…": true }`, `"cvv=123"`)
      if (this.cards && key.length >= MIN_CARD_TEXT && this.quotesCardData(key)) {
        const safe = maskCardNumbers(key);
        out ??= { ...obj };
        delete out[key];
        out[safe] = this.walk(value, inCard, depth, safe);
        continue;
      }
      if (value === undefined || value === null) continue;
      let next: unknown;
      if (keys !== null && keys.isSensitive(key, inCard)) {
        next = this.censor;
      } else if (typeof value === 'object') {
        const card = keys !== null && keys.isCardContainer(key);
        next = this.walk(value, card, depth, key);
      } else {
        next = this.walk(value, false, depth, key);
      }
      if (next !== value) {
        out ??= { ...obj };
        out[key] = next;
      }
    }
    return out ?? obj;
  }

  private walkArray(arr: readonly unknown[], inCard: boolean, depth: number): readonly unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < arr.length; i++) {
      const next = this.walk(arr[i], inCard, depth, '');
      if (next !== arr[i]) {
        out ??= arr.slice();
        out[i] = next;
      }
    }
    return out ?? arr;
  }
}

function mapObject(map: Map<unknown, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of map) out[String(k)] = v;
  return out;
}
