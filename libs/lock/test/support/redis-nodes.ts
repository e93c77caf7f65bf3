import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../../../../test/support/free-port';

export interface RedisNode {
  port: number;
  url: string;
  stop(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing (a hung or lagging node). */
  pause(): void;
  resume(): void;
}

/**
 * Starts a throwaway redis-server (Debian's) this test owns and may kill; fails if missing.
 * `args` are more server options, e.g. `['--replicaof', '127.0.0.1', '6390']`.
 */
export async function startRedisNode(args: readonly string[] = []): Promise<RedisNode> {
  execFileSync('redis-server', ['--version']); // throws loudly when redis-server is not installed
  const port = await freePort();
  // a replica writes the snapshot its primary sends: keep it out of the working tree
  const dir = mkdtempSync(join(tmpdir(), 'keel-redis-'));
  const proc: ChildProcess = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...['--save', '', '--appendonly', 'no', ...args],
    ],
    { stdio: 'ignore' },
  );
  proc.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
  let stopped = false;
  return {
    port,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped || proc.exitCode !== null) return resolve();
        stopped = true;
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
    pause: () => void proc.kill('SIGSTOP'),
    resume: () => void proc.kill('SIGCONT'),
  };
}
