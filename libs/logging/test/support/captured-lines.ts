import type { DestinationStream } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  requestId?: string;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  context?: string;
  [key: string]: unknown;
}

/** A pino destination that keeps every line, raw and parsed. */
export class CapturedLines implements DestinationStream {
  readonly raw: string[] = [];

  write(chunk: string): void {
    this.raw.push(chunk);
  }

  get lines(): LogLine[] {
    return this.raw.map((l) => JSON.parse(l) as LogLine);
  }

  withMsg(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  /** Waits for a line written after the response (pino-http logs on 'finish'). */
  async waitFor(predicate: (line: LogLine) => boolean, timeoutMs = 2_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error('no matching log line within ' + timeoutMs + ' ms');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  clear(): void {
    this.raw.length = 0;
  }
}
