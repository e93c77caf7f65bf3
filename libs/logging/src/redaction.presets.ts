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
  'privatekey',
  'credential',
];

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
