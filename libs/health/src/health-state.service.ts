import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

export type HealthPhase = 'starting' | 'ready' | 'draining' | 'stopping';

/** Where the app is in its life; readiness is only up in 'ready'. */
@Injectable()
export class HealthState implements OnApplicationBootstrap {
  private current: HealthPhase = 'starting';

  get phase(): HealthPhase {
    return this.current;
  }

  onApplicationBootstrap(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  /** Moves forward only: a stopping app never becomes ready again. */
  advance(to: 'draining' | 'stopping'): void {
    const order: HealthPhase[] = ['starting', 'ready', 'draining', 'stopping'];
    if (order.indexOf(to) > order.indexOf(this.current)) this.current = to;
  }
}
