// What the payment presets redact. Keys are compared normalised: lower case, without `_`, `-`
// and spaces, so `cardNumber`, `card_number` and `CARD-NUMBER` are one key.

/** Keys redacted wherever they appear. */
export const PRESET_KEYS: readonly string[] = [
  'pan',
  'primaryaccountnumber',
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cvn',
  'securitycode',
  'cardsecuritycode',
  'expiry',
  'expirydate',
  'expirationdate',
  'cardexpiry',
  'expmonth',
  'expyear',
  'expirymonth',
  'expiryyear',
  'expirationmonth',
  'expirationyear',
  'pin',
  'pinblock',
  'track1',
  'track2',
  'trackdata',
  'pwd',
];

/** Keys redacted when they contain one of these (`newPassword`, `webhookSecret`, `xApiKey`). */
export const PRESET_KEY_PARTS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'cardnumber',
  'cardnum',
  'cardno',
  'accountnumber',
  'cvv',
  'cvc',
  'csc',
  'securitycode',
  'verificationcode',
  'expiry',
  'expiration',
  'expdate',
  'track1',
  'track2',
  'trackdata',
  'magstripe',
  'pinblock',
  'privatekey',
  'credential',
];

/**
 * Words that make a key secret when they stand as a word of it (`pan`, `cardPan`, `pan_hash`,
 * `CID`), not inside another word (`company`, `acidTest`).
 */
export const PRESET_KEY_WORDS: readonly string[] = ['pan', 'cid', 'cvn', 'cav2', 'pin'];

/** `exp` is a card's expiry when it stands beside one of these words (`expMonth`, `exp_yy`). */
export const EXPIRY_WORDS: readonly string[] = [
  'month',
  'year',
  'date',
  'mm',
  'yy',
  'mmyy',
  'yymm',
];

/** Keys that name the safe parts of a card (its last 4 digits) stay readable. */
export const SAFE_KEY_PARTS: readonly string[] = ['last4', 'lastfour', 'lastdigits'];

/** Inside an object whose key contains `card` (`card`, `paymentCard`), these are secret too. */
export const PRESET_CARD_FIELDS: readonly string[] = [
  'number',
  'exp',
  'expiration',
  'month',
  'year',
  'code',
];

/** Explicit paths for pino's own (compiled) redaction: headers in pino-http's req/res. */
export const PRESET_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];
