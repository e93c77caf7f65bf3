import { PRESET_CARD_FIELDS, PRESET_KEY_PARTS, PRESET_KEYS } from './redaction.presets';

const SENSITIVE = 1;
const CARD_CONTAINER = 2;
const CARD_FIELD = 4;
// Keys come from code, so the set is small; the cap only guards against keys built from data.
const CACHE_LIMIT = 10_000;

export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * Classifies object keys as secret or not. Each distinct key is normalised and matched once,
 * then answered from a cache, so the per-line cost is one Map lookup a key.
 */
export class SensitiveKeys {
  private readonly exact: Set<string>;
  private readonly parts: readonly string[];
  private readonly cardFields: Set<string>;
  private readonly cache = new Map<string, number>();

  constructor(options: { presets: boolean; extraKeys: readonly string[] }) {
    const extra = options.extraKeys.map(normaliseKey);
    this.exact = new Set(options.presets ? [...PRESET_KEYS, ...extra] : extra);
    this.parts = options.presets ? PRESET_KEY_PARTS : [];
    this.cardFields = new Set(options.presets ? PRESET_CARD_FIELDS : []);
  }

  /** Whether `key` holds a secret; `inCard` when its object sits under a card-like key. */
  isSensitive(key: string, inCard: boolean): boolean {
    const kind = this.kind(key);
    return (kind & SENSITIVE) !== 0 || (inCard && (kind & CARD_FIELD) !== 0);
  }

  /** Whether `key` names a card object (`card`, `paymentCard`) whose fields are secret. */
  isCardContainer(key: string): boolean {
    return (this.kind(key) & CARD_CONTAINER) !== 0;
  }

  private kind(key: string): number {
    let kind = this.cache.get(key);
    if (kind === undefined) {
      kind = this.classify(normaliseKey(key));
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, kind);
    }
    return kind;
  }

  private classify(key: string): number {
    let kind = 0;
    if (this.exact.has(key) || this.parts.some((p) => key.includes(p))) kind |= SENSITIVE;
    if (this.cardFields.size > 0 && key.includes('card')) kind |= CARD_CONTAINER;
    if (this.cardFields.has(key)) kind |= CARD_FIELD;
    return kind;
  }
}
