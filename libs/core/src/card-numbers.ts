// Card data inside free text, masked: card numbers (PANs) to their last 4 digits, magnetic-stripe
// track data whole but for the PAN's last 4, and security codes written next to their name
// (`cvv=123`, `"cvc":"123"`, `cvv%3D123`).
//
// A PAN is 13–19 digits passing the Luhn check, plain or in groups split by spaces, dashes, dots,
// `+` or `%20`. It is found whatever touches it (letters, quotes, `=`, `^`, a `%xx` escape), but
// never inside a longer digit run: a 22-digit id holds no card number.

// A `%xx` escape is consumed whole, so its hex digits never join the digit run after it.
const SCAN = /%[0-9A-Fa-f]{2}|\d(?:(?:[ .+-]|%20)?\d){12,}/g;
const RUN = /\d(?:(?:[ .+-]|%20)?\d){12,}/;
const SEPARATOR = /[ .+-]|%20/;
const SEPARATORS = /[ .+-]|%20/g;
// Track 1: %B<PAN>^<NAME>^<YYMM><service code><discretionary data>?  (sentinels optional)
const TRACK1 = /(%?)B(\d{12,19})\^[^^?\r\n]{0,26}(?:\^[^?\s"']*)?\??/g;
// Track 2: ;<PAN>=<YYMM><service code><discretionary data>?
const TRACK2 = /(;?)(\d{12,19})=\d{4}\d*\??/g;
// A security code after its name and a short run of quotes (JSON-escaped too), spaces, `:` or
// `=`, raw or %-escaped.
// The name may carry a suffix (`cvvCode`, `cvc_value`).
const LABELLED_CODE =
  /(cvv2?|cvc2?|csc|cvn|cid|cav2|security[ _-]?code)([A-Za-z_-]{0,12}(?:["'\\\s:=]|%2[02]|%3[ADad]){1,8})(\d{3,4})(?!\d)/gi;
const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
// Groups shorter than this are not how cards are written ("10 20 30 ..." is a list), but for
// a card's last group.
const MIN_GROUP = 3;
// `cvc=123`: the shortest text that can hold card data
const MIN_TEXT = 7;

/** True for a string of digits whose Luhn checksum is valid. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** `************1111`: one star per hidden digit, separators dropped. */
export function maskDigits(digits: string): string {
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

function isCard(digits: string): boolean {
  return digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS && luhnValid(digits);
}

function joinGroups(groups: string[], seps: string[], from: number, to: number): string {
  let out = '';
  for (let k = from; k < to; k++) out += (k > from ? seps[k - 1] : '') + groups[k];
  return out;
}

/** Masks the windows of whole groups that form card numbers; `seps[k]` follows `groups[k]`. */
function maskGrouped(groups: string[], seps: string[]): string {
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    // every group but the last of a card is 3 digits or more (`4111 1111 1111 1`)
    for (let j = i; j < groups.length && (j === i || groups[j - 1].length >= MIN_GROUP); j++) {
      digits += groups[j];
      if (digits.length > MAX_DIGITS) break;
      if (!isCard(digits)) continue;
      const head = i > 0 ? joinGroups(groups, seps, 0, i) + seps[i - 1] : '';
      const tail =
        j + 1 < groups.length ? seps[j] + maskGrouped(groups.slice(j + 1), seps.slice(j + 1)) : '';
      return head + maskDigits(digits) + tail;
    }
  }
  return joinGroups(groups, seps, 0, groups.length);
}

function maskRun(run: string): string {
  if (run.charCodeAt(0) === 37 /* % */) return run;
  if (!SEPARATOR.test(run)) return isCard(run) ? maskDigits(run) : run;
  return maskGrouped(run.split(SEPARATOR), run.match(SEPARATORS) ?? []);
}

/** Digits in `text`, counted up to `enough`. */
function digitsUpTo(text: string, enough: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n < enough; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * Masks every card number, track and labelled security code in `text`; returns `text` itself
 * when there is none.
 */
export function maskCardNumbers(text: string): string {
  if (text.length < MIN_TEXT) return text;
  const digits = digitsUpTo(text, MIN_DIGITS);
  if (digits < 3) return text;
  let out = text;
  LABELLED_CODE.lastIndex = 0;
  if (LABELLED_CODE.test(out)) {
    out = out.replace(LABELLED_CODE, (_m, name: string, sep: string, code: string) => {
      return name + sep + '*'.repeat(code.length);
    });
  }
  if (digits < MIN_DIGITS - 1) return out;
  if (out.includes('^')) {
    out = out.replace(
      TRACK1,
      (_m, start: string, pan: string) => `${start}B${maskDigits(pan)}^***`,
    );
  }
  if (out.includes('=')) {
    out = out.replace(TRACK2, (_m, start: string, pan: string) => `${start}${maskDigits(pan)}=***`);
  }
  if (!RUN.test(out)) return out;
  SCAN.lastIndex = 0;
  return out.replace(SCAN, maskRun);
}

/**
 * A number that, written out, is a card number. From 14 digits up, so epoch milliseconds
 * (13 digits until 2286) are never taken for one.
 */
export function isCardLikeNumber(value: number): boolean {
  return value >= 1e13 && value < 1e19 && Number.isInteger(value) && isCard(String(value));
}
