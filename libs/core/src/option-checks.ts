import { maskCardNumbers } from './card-numbers';
import { KeelConfigError } from './core.errors';

const MAX_SHOWN = 60;

/**
 * A value as an option error shows it, with its type: `"30000" (a string)`, `30000 (a number)`.
 * URL passwords and card numbers are masked: option values end up in boot logs.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `${shortValue(value)} (a string)`;
  if (typeof value === 'number' || typeof value === 'bigint') return `${value} (a ${typeof value})`;
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    const plain = value.length <= 5 && value.every((v) => v === null || typeof v !== 'object');
    return plain
      ? `[${value.map(shortValue).join(', ')}] (an array)`
      : `an array of ${value.length}`;
  }
  const name = value.constructor?.name;
  return name && name !== 'Object' ? `a ${name} instance` : 'an object';
}

function shortValue(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const safe = maskCardNumbers(value.replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/g, '$1***@'));
  return JSON.stringify(safe.length > MAX_SHOWN ? `${safe.slice(0, MAX_SHOWN)}…` : safe);
}

/** A hint for a number given as a string, the usual slip with `process.env` values. */
export function numberHint(option: string, value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return (
      ` Pass a number (${option}: ${Number(value)}), not a string; convert environment ` +
      'variables with Number(...).'
    );
  }
  return '';
}

/** The known name closest to `name` (case, a typo or an affix away), if any is close enough. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const score =
      c === lower
        ? 0
        : lower.startsWith(c) || lower.endsWith(c) || c.startsWith(lower)
          ? 1
          : editDistance(lower, c);
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/**
 * Throws naming each key of `options` that is not in `known` (an option that does nothing is a
 * misconfiguration): `LockModule: unknown option "redisUrl" — did you mean "redis"?`.
 */
export function rejectUnknownOptions(
  owner: string,
  options: object,
  known: readonly string[],
  path = '',
): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const lines = unknown.map((key) => {
    const near = closestName(key, known);
    return `unknown option "${path}${key}"${near ? ` (did you mean "${path}${near}"?)` : ''}`;
  });
  throw new KeelConfigError(
    `${owner}: ${lines.join('; ')}. Known ${path ? `${path.slice(0, -1)} ` : ''}options: ` +
      `${known.join(', ')}.`,
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
