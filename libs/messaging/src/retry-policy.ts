import { DEFAULTS } from './messaging.constants';
import { MessageValidationError } from './messaging.errors';
import type { ErrorClass, RetryOptions } from './messaging.options';

/** A listener's retry rules, merged from module defaults and its own options. */
export class RetryPolicy {
  readonly attempts: number;
  readonly nonBlocking: boolean;
  readonly initialMs: number;
  private readonly multiplier: number;
  readonly maxMs: number;
  private readonly jitter: number;
  private readonly retryOn: readonly ErrorClass[] | undefined;
  private readonly noRetryOn: readonly ErrorClass[];

  constructor(own: RetryOptions = {}, defaults: RetryOptions = {}) {
    const backoff = { ...defaults.backoff, ...own.backoff };
    this.attempts = own.attempts ?? defaults.attempts ?? DEFAULTS.attempts;
    this.nonBlocking = own.nonBlocking ?? defaults.nonBlocking ?? false;
    this.initialMs = backoff.initialMs ?? DEFAULTS.initialMs;
    this.multiplier = backoff.multiplier ?? DEFAULTS.multiplier;
    this.maxMs = backoff.maxMs ?? DEFAULTS.maxMs;
    this.jitter = backoff.jitter ?? DEFAULTS.jitter;
    this.retryOn = own.retryOn ?? defaults.retryOn;
    this.noRetryOn = own.noRetryOn ?? defaults.noRetryOn ?? [];
  }

  /** The delay after failed attempt `attempt` (1-based), without jitter. */
  baseDelayMs(attempt: number): number {
    const raw = this.initialMs * Math.pow(this.multiplier, Math.max(0, attempt - 1));
    return Math.min(this.maxMs, raw);
  }

  /** The delay after failed attempt `attempt`, spread by ±jitter so retries do not align. */
  delayMs(attempt: number, random: () => number = Math.random): number {
    const base = this.baseDelayMs(attempt);
    const spread = base * this.jitter * (random() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }

  /** The longest single blocking wait of this policy: its largest delay, spread up by jitter. */
  longestDelayMs(): number {
    if (this.attempts < 2) return 0;
    // delays only grow (multiplier >= 1) up to the cap: the one before the last attempt is largest
    return Math.round(this.baseDelayMs(this.attempts - 1) * (1 + this.jitter));
  }

  /** The largest `maxMs` whose delays, spread by this policy's jitter, stay under `limitMs`. */
  maxMsUnder(limitMs: number): number {
    return Math.floor((limitMs - 1) / (1 + this.jitter));
  }

  /** Whether another attempt may follow `attempt` failing with `error`. */
  shouldRetry(error: unknown, attempt: number): boolean {
    return attempt < this.attempts && this.isRetryable(error);
  }

  isRetryable(error: unknown): boolean {
    if (error instanceof MessageValidationError) return false;
    if (this.noRetryOn.some((c) => error instanceof c)) return false;
    if (this.retryOn) return this.retryOn.some((c) => error instanceof c);
    return true;
  }
}
