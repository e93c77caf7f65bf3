import { isCardLikeNumber, maskCardNumbers } from '@keel/core';
import { isSecurityCodeKey } from '@keel/core/internal';

export interface MaskedEvent<T> {
  readonly value: T;
  /** Where card data was found (`value.card.number`, `key`), for a warning without the data. */
  readonly paths: string[];
}

const MAX_DEPTH = 32;
const CENSORED = '***';

/**
 * A copy of an event value with every card number, track and labelled security code masked, in
 * strings, numbers, Buffers of text and object keys at any depth, and whatever sits under a
 * security-code key (`cvv`, `cardCvc`, ...) censored; `toJSON()` output is what gets walked,
 * since it is what gets serialized. Masks the structure, not the JSON text, so a card-like number literal
 * cannot turn the payload into invalid JSON. Returns the value itself when there is nothing to mask.
 */
export function maskEventCardData<T>(value: T, path = 'value'): MaskedEvent<T> {
  const paths: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, at: string, depth: number): unknown => {
    if (typeof v === 'string') {
      const masked = maskCardNumbers(v);
      if (masked !== v) paths.push(at);
      return masked;
    }
    if (typeof v === 'number') {
      if (!isCardLikeNumber(v)) return v;
      paths.push(at);
      return maskCardNumbers(String(v));
    }
    if (Buffer.isBuffer(v)) {
      // its bytes are stored as they are: text in it is masked like a string
      const text = v.toString('utf8');
      const masked = maskCardNumbers(text);
      if (masked === text) return v;
      paths.push(at);
      return Buffer.from(masked, 'utf8');
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return v;
    if (depth >= MAX_DEPTH) {
      paths.push(`${at} (deeper than ${MAX_DEPTH}, censored)`);
      return '[too deep]';
    }
    const json = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return walk(json.call(v), at, depth);
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        let changed = false;
        const out = v.map((item, i) => {
          const m = walk(item, `${at}[${i}]`, depth + 1);
          changed ||= m !== item;
          return m;
        });
        return changed ? out : v;
      }
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const key = maskCardNumbers(k);
        if (key !== k) paths.push(`${at} (a key)`);
        const secret = item !== null && item !== undefined && isSecurityCodeKey(key);
        if (secret) paths.push(`${at}.${key}`);
        const m = secret ? CENSORED : walk(item, `${at}.${key}`, depth + 1);
        changed ||= m !== item || key !== k;
        out[key] = m;
      }
      return changed ? out : v;
    } finally {
      seen.delete(v);
    }
  };
  return { value: walk(value, path, 0) as T, paths };
}
