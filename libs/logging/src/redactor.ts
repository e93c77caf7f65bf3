import { EventEmitter } from 'node:events';
import { isCardLikeNumber, maskCardNumbers } from '@keel/core';
import type { SensitiveKeys } from './sensitive-keys';

export interface RedactorOptions {
  /** null: no key-based redaction. */
  keys: SensitiveKeys | null;
  /** Mask Luhn-valid card numbers inside strings (and long integers). */
  cardNumbers: boolean;
  censor: string;
  /** Deeper objects are logged as they are; bounds the cost of odd, huge objects. */
  maxDepth?: number;
}

// Trace ids are hex; a rare all-digit one must not be mistaken for a card and lose correlation.
const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);
const MIN_CARD_TEXT = 13;

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
        return ID_KEYS.has(key) ? value : maskCardNumbers(value);
      case 'number':
        return this.cards && value >= 1e13 && isCardLikeNumber(value)
          ? maskCardNumbers(String(value))
          : value;
      case 'object':
        if (value === null || depth >= this.maxDepth) return value;
        if (Array.isArray(value)) return this.walkArray(value, inCard, depth + 1);
        return this.walkable(value)
          ? this.walkObject(value as Record<string, unknown>, inCard, depth + 1)
          : value;
      default:
        return value;
    }
  }

  // Plain objects and class instances (DTOs); not Errors (pino's err serializer handles those),
  // Dates, Buffers, anything with its own toJSON, nor emitters such as a raw request or response
  // (huge, circular, and mapped by their serializers, which redact what they keep).
  private walkable(value: object): boolean {
    return (
      !(value instanceof Error) &&
      !(value instanceof EventEmitter) &&
      typeof (value as { toJSON?: unknown }).toJSON !== 'function' &&
      !ArrayBuffer.isView(value) &&
      !(value instanceof Map) &&
      !(value instanceof Set)
    );
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
