// Builds and packs the libs as npm would publish them, and installs the tarballs into a plain app
// outside the repository, so nothing of ours (paths, ts-jest, root node_modules) can leak in.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedBy } from '../../../scripts/docs/install-lines';

export const ROOT = join(__dirname, '..', '..', '..');
/** core first: the others compile against libs/core/dist. */
export const LIBS = ['core', 'lock', 'metrics', 'logging', 'messaging', 'health'] as const;

/**
 * The app's own packages: a Nest app has these before it adds Keel (its typings included, which
 * the type check needs). Everything else comes from the README's install line.
 */
const APP_OWN = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'reflect-metadata',
  'rxjs',
  '@types/node',
  '@types/express',
];

/** What the README's all-at-once `npm i` line installs besides the @keel tarballs. */
export function readmeDependencies(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return installedBy(readme).filter((name) => !name.startsWith('@keel/'));
}

export interface PackedLib {
  name: string;
  tarball: string;
  files: string[];
}

/**
 * The environment of every child process: no NODE_OPTIONS/NODE_PATH (the app must resolve only
 * its own node_modules) and no npm_* settings inherited from an `npm run` (say, a
 * legacy-peer-deps that would hide a wrong peer range).
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(NODE_OPTIONS|NODE_PATH|npm_.*)$/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** A clean build of every lib, as scripts/build.sh does (a stale file in dist would be packed). */
export function buildLibs(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  for (const lib of LIBS) {
    rmSync(join(ROOT, 'libs', lib, 'dist'), { recursive: true, force: true });
    execFileSync(process.execPath, [tsc, '-p', `libs/${lib}/tsconfig.lib.json`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
}

/** `npm pack` of every lib into `dest`. */
export function packLibs(dest: string): PackedLib[] {
  const out = execFileSync(
    'npm',
    ['pack', ...LIBS.map((l) => `./libs/${l}`), '--pack-destination', dest, '--json'],
    { cwd: ROOT, encoding: 'utf8', env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const packed = JSON.parse(out) as { name: string; filename: string; files: { path: string }[] }[];
  return packed.map((p) => ({
    name: p.name,
    tarball: join(dest, p.filename),
    files: p.files.map((f) => f.path),
  }));
}

/**
 * The consumer's dependencies, the README's and the app's own, at the versions a manifest (root
 * or compat) pins, so the Nest 11 app gets Nest 11 packages.
 */
export function appDependencies(manifest: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, manifest), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const names = [...new Set([...APP_OWN, ...readmeDependencies()])];
  return Object.fromEntries(
    names.map((name) => {
      const range = pkg.dependencies[name] ?? pkg.devDependencies[name];
      if (!range) throw new Error(`${manifest} has no dependency ${name}`);
      return [name, range];
    }),
  );
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command without blocking the event loop (two installs run side by side). */
export function run(cmd: string, args: string[], cwd: string): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/**
 * Installs the tarballs and the dependencies into `dir` with plain `npm install`: no --force and
 * no --legacy-peer-deps, so a peer range that does not fit fails here. Resolves its duration.
 */
export async function installApp(
  dir: string,
  libs: readonly PackedLib[],
  dependencies: Record<string, string>,
): Promise<number> {
  const keel = Object.fromEntries(libs.map((l) => [l.name, `file:${l.tarball}`]));
  const manifest = {
    name: 'keel-consumer',
    private: true,
    dependencies: { ...dependencies, ...keel },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const res = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  if (res.code !== 0) {
    throw new Error(`npm install in ${dir} failed (${res.code}):\n${res.stderr}\n${res.stdout}`);
  }
  return res.ms;
}

/** What `npm ls` finds wrong in the installed tree: an "invalid" or "missing" peer, say. */
export async function treeProblems(dir: string): Promise<string[]> {
  const ls = await run('npm', ['ls', '--all', '--json'], dir);
  const problems = (JSON.parse(ls.stdout) as { problems?: string[] }).problems ?? [];
  return ls.code === 0 ? problems : [`npm ls exited ${ls.code}`, ...problems];
}

/** The installed version of a package in an app directory (undefined if absent and allowed). */
export function installedVersion(dir: string, name: string, required?: true): string;
export function installedVersion(dir: string, name: string, required: false): string | undefined;
export function installedVersion(dir: string, name: string, required = true): string | undefined {
  const file = join(dir, 'node_modules', name, 'package.json');
  if (!required && !existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Type-checks a file importing every lib's public entry, inside the app, as a strict user
 * project would with `skipLibCheck: false`: a typing that needs a package the README does not
 * install (an optional peer, say) fails here. Resolves tsc's output ('' when clean).
 */
export async function typeCheckApp(dir: string): Promise<{ code: number | null; output: string }> {
  const imports = LIBS.map((lib) => `import * as ${lib} from '@keel/${lib}';`).join('\n');
  writeFileSync(
    join(dir, 'types-check.ts'),
    `import 'reflect-metadata';\n${imports}\nexport const libs = [${LIBS.join(', ')}];\n`,
  );
  const compilerOptions = {
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
  };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, files: ['types-check.ts'] }, null, 2),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const res = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
  return { code: res.code, output: `${res.stdout}${res.stderr}`.trim() };
}
