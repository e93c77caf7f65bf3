import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTs } from '../../../../test/support/spawn-ts';

/** Starts listener-worker.ts in its own Node process. */
export function spawnWorker(args: string[]): ChildProcess {
  return spawnTs(join(__dirname, 'listener-worker.ts'), args);
}

/** Resolves when the process prints `line` on stdout. */
export function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(line)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before ${line}: ${err}`)));
  });
}
