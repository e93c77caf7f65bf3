import { maskCardNumbers } from '@keel/core';
import {
  EXPIRY_WORDS,
  PRESET_CARD_FIELDS,
  PRESET_KEY_PARTS,
  PRESET_KEY_WORDS,
  PRESET_KEYS,
  SAFE_KEY_PARTS,
} from './redaction.presets';

const SENSITIVE = 1;
const CARD_CONTAINER = 2;
const CARD_FIELD = 4;
const QUOTES_CARD_DATA = 8;
// Keys come from code, so the set is small; the cap only guards against keys built from data.
const CACHE_LIMIT = 10_000;

export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[\s_.-]/g, '');
}

/** `cardPAN_hash` -> `card`, `pan`, `hash`: words split at separators and camelCase humps. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((w) => w.length > 0);
}

/**
 * Classifies object keys as secret or not. Each distinct key is normalised and matched once,
 * then answered from a cache, so the per-line cost is one Map lookup a key.
 */
export class SensitiveKeys {
  private readonly exact: Set<string>;
  private readonly parts: readonly string[];
  private readonly words: Set<string>;
  private readonly cardFields: Set<string>;
  private readonly presets: boolean;
  private readonly cache = new Map<string, number>();

  constructor(options: { presets: boolean; extraKeys: readonly string[] }) {
    const extra = options.extraKeys.map(normaliseKey);
    this.presets = options.presets;
    this.exact = new Set(options.presets ? [...PRESET_KEYS, ...extra] : extra);
    this.parts = options.presets ? PRESET_KEY_PARTS : [];
    this.words = new Set(options.presets ? PRESET_KEY_WORDS : []);
    this.cardFields = new Set(options.presets ? PRESET_CARD_FIELDS : []);
  }

  /** Whether `key` holds a secret; `inCard` when its object sits under a card-like key. */
  isSensitive(key: string, inCard: boolean): boolean {
    const kind = this.kind(key);
    return (kind & SENSITIVE) !== 0 || (inCard && (kind & CARD_FIELD) !== 0);
  }

  /** Whether the key itself quotes card data (`{ "4111…": true }`), so it must be masked. */
  quotesCardData(key: string): boolean {
    return (this.kind(key) & QUOTES_CARD_DATA) !== 0;
  }

  /** Whether `key` names a card object (`card`, `paymentCard`) whose fields are secret. */
  isCardContainer(key: string): boolean {
    return (this.kind(key) & CARD_CONTAINER) !== 0;
  }

  private kind(key: string): number {
    let kind = this.cache.get(key);
    if (kind === undefined) {
      kind = this.classify(key);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, kind);
    }
    return kind;
  }

  private classify(raw: string): number {
    const key = normaliseKey(raw);
    let kind = 0;
    if (this.exact.has(key) || this.parts.some((p) => key.includes(p))) kind |= SENSITIVE;
    if (this.presets && (kind & SENSITIVE) === 0 && this.secretWords(raw)) kind |= SENSITIVE;
    if (this.presets && SAFE_KEY_PARTS.some((p) => key.includes(p)) && !this.exact.has(key))
      kind &= ~SENSITIVE;
    if (this.cardFields.size > 0 && key.includes('card')) kind |= CARD_CONTAINER;
    if (this.cardFields.has(key)) kind |= CARD_FIELD;
    if (maskCardNumbers(raw) !== raw) kind |= QUOTES_CARD_DATA;
    return kind;
  }

  private secretWords(raw: string): boolean {
    const words = keyWords(raw);
    if (words.some((w) => this.words.has(w))) return true;
    const exp = words.indexOf('exp');
    return exp >= 0 && words.some((w) => EXPIRY_WORDS.includes(w));
  }
}
