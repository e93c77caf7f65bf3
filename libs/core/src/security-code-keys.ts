// A card's security code (CVV2, CVC2, CSC, CID, ...) may never be stored after authorisation
// (PCI DSS 3.3.2), so a value under such a key is dropped whatever it looks like: '737', 737,
// { value: '737' }. Keys are compared by their words, so every spelling is one key.

/** Found anywhere in the key's letters: `cardCvv`, `cvc_value`, `card-security-code`. */
const PARTS = ['cvv', 'cvc', 'csc', 'securitycode', 'verificationcode'];
/** Only as a word of their own: `cid`, `card_cid`, `CID`, not `acidTest` nor `cidr`. */
const WORDS = new Set(['cid', 'cvn', 'cav2']);

/** Whether `key` names a card security code, in camelCase, snake_case, kebab-case or any case. */
export function isSecurityCodeKey(key: string): boolean {
  if (key.length < 3 || key.length > 64) return false;
  const flat = key.toLowerCase().replace(/[\s_-]/g, '');
  if (PARTS.some((part) => flat.includes(part))) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => WORDS.has(word));
}
