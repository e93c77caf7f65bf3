import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../test/support/free-port';
import { spawnTs } from '../../../test/support/spawn-ts';

function startApp(port: number, drainMs: number): ChildProcess {
  return spawnTs(join(__dirname, 'support', 'shutdown-app.ts'), [], {
    PORT: String(port),
    DRAIN_MS: String(drainMs),
  });
}

async function status(url: string): Promise<number | string> {
  try {
    return (await fetch(url)).status;
  } catch (err) {
    return (err as { cause?: { code?: string } }).cause?.code ?? 'error';
  }
}

describe('graceful shutdown on SIGTERM (reliability, real app process)', () => {
  it('turns readiness 503 at once, drains, finishes the in-flight request, then stops', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const drainMs = 1_500;
    const app = startApp(port, drainMs);
    let logs = '';
    app.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    app.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!logs.includes('LISTENING')) {
        if (Date.now() > deadline) throw new Error(`app did not start: ${logs}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await status(`${base}/health/ready`)).toBe(200);

      // a slow request in flight: it must complete with 200 although SIGTERM arrives meanwhile
      const slow = fetch(`${base}/slow?ms=2500`).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
      await new Promise((r) => setTimeout(r, 200));
      const signalledAt = Date.now();
      app.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 150));

      // during the drain: not ready, still live, still serving
      expect(await status(`${base}/health/ready`)).toBe(503);
      expect(await status(`${base}/health/live`)).toBe(200);

      await expect(slow).resolves.toEqual({ status: 200, body: { done: true } });
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(2_000);

      // after the drain the server no longer accepts connections, and the process ends
      await new Promise((r) =>
        setTimeout(r, Math.max(0, signalledAt + drainMs + 300 - Date.now())),
      );
      expect(await status(`${base}/health/live`)).toBe('ECONNREFUSED');
      await exited;
      expect(logs).toMatch(/SIGTERM: readiness is 503; draining for 1500 ms/);
    } finally {
      app.kill('SIGKILL');
    }
  });
});
