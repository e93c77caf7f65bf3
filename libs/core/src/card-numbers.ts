// Card numbers (PANs) inside free text: 13–19 digits, optionally grouped by spaces or dashes,
// passing the Luhn check, masked to their last 4 digits.

// A digit run with single separators, not glued to letters or digits on either side, so hex
// ids and longer numeric ids are never cut into a "card number".
const CANDIDATE = /(?<![0-9A-Za-z])\d(?:[ -]?\d){12,}(?![0-9A-Za-z])/g;
const SEPARATOR = /[ -]/;
const SEPARATORS = /[ -]/g;
const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
// Groups shorter than this are not how cards are written ("10 20 30 ..." is a list).
const MIN_GROUP = 3;

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
    for (let j = i; j < groups.length && groups[j].length >= MIN_GROUP; j++) {
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

/** Masks every card number in `text`; returns `text` itself when there is none. */
export function maskCardNumbers(text: string): string {
  if (text.length < MIN_DIGITS) return text;
  CANDIDATE.lastIndex = 0;
  if (!CANDIDATE.test(text)) return text;
  CANDIDATE.lastIndex = 0;
  return text.replace(CANDIDATE, (run) => {
    if (!SEPARATOR.test(run)) return isCard(run) ? maskDigits(run) : run;
    return maskGrouped(run.split(SEPARATOR), run.match(SEPARATORS) ?? []);
  });
}

/**
 * A number that, written out, is a card number. From 14 digits up, so epoch milliseconds
 * (13 digits until 2286) are never taken for one.
 */
export function isCardLikeNumber(value: number): boolean {
  return value >= 1e13 && value < 1e19 && Number.isInteger(value) && isCard(String(value));
}
