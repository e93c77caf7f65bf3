import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTs } from '../../../../test/support/spawn-ts';

/** Starts lock-worker.ts in its own Node process. */
export function spawnWorker(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawnTs(join(__dirname, 'lock-worker.ts'), args, env);
}

/** Resolves when the process exits 0; rejects with its stderr otherwise. */
export function exited(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`worker exited ${code ?? signal}: ${stderr}`)),
    );
  });
}

/** Resolves when the process prints `line` on stdout. */
export function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(line)) resolve();
    });
    child.on('exit', (code) =>
      reject(new Error(`worker exited (${code}) before printing ${line}`)),
    );
  });
}
