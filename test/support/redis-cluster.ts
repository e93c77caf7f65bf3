import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { freePort } from './free-port';

export interface RedisClusterFixture {
  ports: number[];
  client(): Cluster;
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster (Debian's redis-server and redis-cli) owned by one test: nodes on
 * free ports, slots assigned with `redis-cli --cluster create`. Fails loudly when Redis is missing.
 */
export async function startRedisCluster(): Promise<RedisClusterFixture> {
  execFileSync('redis-server', ['--version']);
  const dir = mkdtempSync(join(tmpdir(), 'keel-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const procs: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const clients: Cluster[] = [];
  const stop = async (): Promise<void> => {
    clients.forEach((c) => c.disconnect());
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) =>
            p.exitCode !== null ? resolve() : (p.once('exit', () => resolve()), p.kill('SIGKILL')),
          ),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const deadline = Date.now() + 10_000;
      while (execPing(port) !== 'PONG') {
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    execFileSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { stdio: 'pipe' },
    );
    const deadline = Date.now() + 15_000;
    while (
      !ports.every((p) =>
        execFileSync('redis-cli', ['-p', String(p), 'cluster', 'info'])
          .toString()
          .includes('cluster_state:ok'),
      )
    ) {
      if (Date.now() > deadline) throw new Error('the cluster did not reach cluster_state:ok');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    ports,
    client: () => {
      const c = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
      clients.push(c);
      return c;
    },
    stop,
  };
}

function execPing(port: number): string {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' })
      .toString()
      .trim();
  } catch {
    return '';
  }
}
