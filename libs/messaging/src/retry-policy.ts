import { DEFAULTS } from './messaging.constants';
import { MessageValidationError } from './messaging.errors';
import type { ErrorClass, RetryOptions } from './messaging.options';

/** A listener's retry rules, merged from module defaults and its own options. */
export class RetryPolicy {
  readonly attempts: number;
  readonly nonBlocking: boolean;
  private readonly initialMs: number;
  private readonly multiplier: number;
  private readonly maxMs: number;
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
