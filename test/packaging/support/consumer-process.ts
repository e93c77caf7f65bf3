// The consumer app (consumer-app.js) as a child process: started with plain `node` in its own
// directory, its output kept for the assertions and for the failure messages.
import { ChildProcess, spawn } from 'node:child_process';
import { childEnv } from './pack-install';

const READY = 'KEEL_CONSUMER_READY ';
// "(node:1234) [DEP0040] DeprecationWarning: ...", "(node:1234) Warning: ..."
const NODE_WARNING = /\(node:\d+\) (?:\[\w+\] )?\w*Warning\b/;

export interface ConsumerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ConsumerReady {
  pid: number;
  resolved: Record<string, string>;
}

export class ConsumerProcess {
  private stdout = '';
  private stderr = '';
  private readonly exited: Promise<ConsumerExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Starts the app and waits until it listens and its Kafka consumer runs. */
  static async start(
    dir: string,
    port: number,
    env: Record<string, string>,
    timeoutMs = 90_000,
  ): Promise<{ app: ConsumerProcess; ready: ConsumerReady }> {
    // kafkajs 2.2.4 sets a negative timer on Node >= 23 (TimeoutNegativeWarning): known, harmless
    const child = spawn(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', 'consumer-app.js'],
      {
        cwd: dir,
        env: childEnv({ ...env, PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const app = new ConsumerProcess(child, port);
    const ready = await new Promise<ConsumerReady>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`consumer app not ready after ${timeoutMs} ms\n${app.output()}`));
      }, timeoutMs);
      child.stdout?.on('data', () => {
        const line = app.stdout.split('\n').find((l) => l.startsWith(READY));
        if (!line) return;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)) as ConsumerReady);
      });
      void app.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        const how = signal ?? `code ${code}`;
        reject(new Error(`consumer app exited (${how}) before it was ready\n${app.output()}`));
      });
    });
    return { app, ready };
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** SIGTERM (Nest's shutdown hooks), then how it ended; SIGKILL if it hangs. */
  async stop(timeoutMs = 20_000): Promise<ConsumerExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The JSON log lines the app wrote to stdout (pino through @keel/logging). */
  logLines(): Record<string, unknown>[] {
    const lines: Record<string, unknown>[] = [];
    for (const l of this.stdout.split('\n')) {
      if (!l.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        // the line being written right now
      }
    }
    return lines;
  }

  /** Its warn and error log lines (pino level >= 40), for the run's summary. */
  logProblems(): string[] {
    return this.logLines()
      .filter((l) => Number(l.level) >= 40)
      .map((l) => `${String(l.level)} [${String(l.context)}] ${String(l.msg).slice(0, 300)}`);
  }

  /** Node process warnings on stderr (the one known kafkajs warning is turned off at start). */
  nodeWarnings(): string[] {
    return this.stderr.split('\n').filter((l) => NODE_WARNING.test(l));
  }

  /** Both streams, for failure messages. */
  output(): string {
    return `--- stderr ---\n${this.stderr}\n--- stdout (last 8 KB) ---\n${this.stdout.slice(-8192)}`;
  }
}
