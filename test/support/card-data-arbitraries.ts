import fc from 'fast-check';

// Generated card data for the property tests of every output that must never carry it (log
// lines, outbox rows, dead-letter headers): Luhn-valid PANs of 13-19 digits and security codes,
// in the forms they reach a payments service in.

/** Fails naming the secret and the output when a PAN or a code shows, masked tails aside. */
export function expectNoCardData(output: string, pans: string[], codes: string[] = []): void {
  const digitsOnly = output.replace(/[^0-9*]/g, '');
  const unseparated = output.replace(/%20|[ .+-]/g, '');
  for (const pan of pans) {
    if (output.includes(pan) || digitsOnly.includes(pan) || unseparated.includes(pan)) {
      throw new Error(`PAN ${pan} leaked in: ${output}`);
    }
  }
  const unmasked = output.replace(/\*{3,}\d{4}/g, '#');
  for (const code of codes) {
    if (unmasked.includes(code)) throw new Error(`code ${code} leaked in: ${output}`);
  }
}

// A Luhn-valid PAN of 13-19 digits.
export const panArb = fc
  .tuple(
    fc.integer({ min: 12, max: 18 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
    fc.integer({ min: 2, max: 6 }),
  )
  .map(([len, digits, first]) => {
    const body = [first, ...digits].slice(0, len).join('');
    for (let d = 0; d <= 9; d++) {
      const pan = body + d;
      let sum = 0;
      for (let i = 0; i < pan.length; i++) {
        let v = pan.charCodeAt(pan.length - 1 - i) - 48;
        if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
      }
      if (sum % 10 === 0) return pan;
    }
    throw new Error('unreachable');
  });
// Three or four digits that the PAN does not end with (its masked tail stays readable).
export const codeArb = fc.stringMatching(/^[0-9]{3,4}$/);
const wordArb = fc.stringMatching(/^[a-zA-Z]{0,8}$/);
const cvvKeyArb = fc.constantFrom(
  'cvv',
  'CVV',
  'cvc',
  'cvc2',
  'cvv2',
  'csc',
  'cid',
  'cardCvv',
  'card_cvc',
  'cvvCode',
  'card-csc',
  'securityCode',
  'security_code',
  'CardCVC',
  'cardCid',
  'cvn',
);
const panKeyArb = fc.constantFrom(
  'pan',
  'PAN',
  'cardNumber',
  'card_number',
  'card-number',
  'cardNo',
  'primaryAccountNumber',
  'cardPan',
  'creditCardNumber',
  'ccNumber',
  'accountNumber',
);
const sepArb = fc.constantFrom('', ' ', '-', '.', '%20');
const edgeArb = fc.constantFrom('', 'x', 'pan', '=', '%3D', '"', "'", '^', ':', ' ', '_', '/');

function grouped(pan: string, sep: string): string {
  return sep === '' ? pan : (pan.match(/.{1,4}/g) ?? []).join(sep);
}

export type Form = (pan: string, code: string) => unknown;
// each form, and whether it carries the code too
const forms: Record<string, fc.Arbitrary<Form>> = {
  keys: fc
    .tuple(panKeyArb, cvvKeyArb, fc.integer({ min: 0, max: 6 }))
    .map(([pk, ck, depth]): Form => (pan, code) => {
      let obj: Record<string, unknown> = { [pk]: pan, [ck]: code };
      for (let i = 0; i < depth; i++) obj = { level: i, inner: obj };
      return obj;
    }),
  text: fc.tuple(edgeArb, edgeArb, sepArb, wordArb).map(
    ([before, after, sep, word]): Form =>
      (pan) =>
        `${word}${before}${grouped(pan, sep)}${after}${word}`,
  ),
  labelledCode: fc.tuple(cvvKeyArb, fc.constantFrom('=', ': ', '":"', '%3D', '%22%3A%22')).map(
    ([key, sep]): Form =>
      (pan, code) =>
        `ok ${key}${sep}${code}&pan=${pan}`,
  ),
  jsonInString: fc
    .tuple(panKeyArb, cvvKeyArb)
    .map(([pk, ck]): Form => (pan, code) => ({ body: JSON.stringify({ [pk]: pan, [ck]: code }) })),
  urlEncoded: fc.tuple(panKeyArb, cvvKeyArb, fc.boolean()).map(
    ([pk, ck, json]): Form =>
      (pan, code) =>
        json
          ? encodeURIComponent(JSON.stringify({ [pk]: pan, [ck]: code }))
          : new URLSearchParams({ [pk]: pan, [ck]: code }).toString(),
  ),
  panAsKey: fc.constant((pan: string) => ({ [pan]: 'seen' })),
  error: fc.constant((pan: string) => ({ cause: new Error(`card ${pan} declined`) })),
  collections: fc.constant((pan: string, code: string) => ({
    m: new Map([
      ['cvv', code],
      ['n', pan],
    ]),
    s: new Set([pan]),
    b: Buffer.from(pan),
  })),
};

const WITHOUT_CODE = new Set(['text', 'panAsKey', 'error']);
export const formArb = fc.oneof(
  ...Object.entries(forms).map(([name, arb]) =>
    arb.map((make) => ({ name, make, carriesCode: !WITHOUT_CODE.has(name) })),
  ),
);
