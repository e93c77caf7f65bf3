import { randomUUID } from 'node:crypto';
import type { ClaimOutcome, DedupeStore } from './dedupe-store';

/**
 * One delivery's hold on an idempotent message while its handler runs: taken with SET NX
 * semantics, refreshed every third of its TTL so a slow handler keeps it, and on the way out
 * either turned into the handled mark (success) or released (failure, abort), so a crashed
 * holder blocks a redelivery for one TTL at most.
 */
export class MessageClaim {
  private readonly timer: NodeJS.Timeout;
  private settled = false;

  private constructor(
    private readonly store: DedupeStore,
    private readonly scope: string,
    private readonly id: string,
    private readonly token: string,
  ) {
    const every = Math.max(50, Math.floor(store.claimTtlMs / 3));
    // a failed refresh is not fatal: the claim lasts its TTL, and renew() before the next
    // attempt tells whether it is still ours
    this.timer = setInterval(() => void this.renew().catch(() => undefined), every);
    this.timer.unref();
  }

  /** Our claim, or why there is none: handled before ('done') or held elsewhere ('busy'). */
  static async take(
    store: DedupeStore,
    scope: string,
    id: string,
  ): Promise<MessageClaim | 'done' | 'busy'> {
    const token = `claim:${randomUUID()}`;
    const outcome = await store.claim(scope, id, token);
    return outcome === 'claimed' ? new MessageClaim(store, scope, id, token) : outcome;
  }

  /** Renews the claim; 'claimed' while it is (again) ours. */
  renew(): Promise<ClaimOutcome> {
    return this.store.claim(this.scope, this.id, this.token);
  }

  /** The handler succeeded: the claim becomes the handled mark (which outlives it). */
  async handled(ttlMs: number): Promise<void> {
    clearInterval(this.timer);
    await this.store.markHandled(this.scope, this.id, ttlMs);
    this.settled = true;
  }

  /** No success: frees the message for a redelivery now rather than after the TTL. */
  async release(): Promise<void> {
    if (this.settled) return;
    this.stop();
    // best effort: if Redis does not answer, the claim still expires after its TTL
    await this.store.release(this.scope, this.id, this.token).catch(() => undefined);
  }

  private stop(): void {
    this.settled = true;
    clearInterval(this.timer);
  }
}
