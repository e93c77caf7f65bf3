import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from '../../../../test/support/free-port';

export interface RedisNode {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server (Debian's) this test owns and may kill; fails if missing. */
export async function startRedisNode(): Promise<RedisNode> {
  execFileSync('redis-server', ['--version']); // throws loudly when redis-server is not installed
  const port = await freePort();
  const proc: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
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
  };
}
