import { Injectable } from '@nestjs/common';

export type ConsumerState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface ConsumerStatus {
  /** `Class.method` of the listener. */
  readonly listener: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly state: ConsumerState;
  readonly restarts: number;
  readonly lastError?: string;
  readonly since: Date;
}

type Source = () => ConsumerStatus;

/** The state of every listener's consumer, for health checks and dashboards. */
@Injectable()
export class MessagingStatus {
  private readonly sources = new Map<string, Source>();

  /** @internal Called by the listener containers. */
  register(groupId: string, source: Source): void {
    this.sources.set(groupId, source);
  }

  consumers(): ConsumerStatus[] {
    return [...this.sources.values()].map((s) => s());
  }

  /** True when every consumer is running (an app without listeners is healthy). */
  isHealthy(): boolean {
    return this.consumers().every((c) => c.state === 'running');
  }

  /** Resolves when every consumer has joined its group; rejects after `timeoutMs`. */
  async whenRunning(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isHealthy()) {
      if (Date.now() > deadline) {
        const waiting = this.consumers().filter((c) => c.state !== 'running');
        throw new Error(`Consumers not running after ${timeoutMs} ms: ${JSON.stringify(waiting)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
