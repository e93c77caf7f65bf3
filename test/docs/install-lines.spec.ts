// The install lines users copy: each lib's names the lib and every peer it cannot run without,
// and the README's own lines are exactly the libs' lines, one per lib plus one for all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedBy, libInstall } from '../../scripts/docs/install-lines';

const ROOT = join(__dirname, '..', '..');
const LIBS = ['core', 'lock', 'metrics', 'logging', 'messaging', 'health'];
// every Nest app already has these; a lib's line may leave them out
const NEST_APP = new Set(['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs']);

interface Manifest {
  name: string;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest = (lib: string): Manifest =>
  JSON.parse(readFileSync(join(ROOT, 'libs', lib, 'package.json'), 'utf8')) as Manifest;

const requiredPeers = (lib: string): string[] => {
  const m = manifest(lib);
  return Object.keys(m.peerDependencies ?? {}).filter(
    (p) => m.peerDependenciesMeta?.[p]?.optional !== true && !NEST_APP.has(p),
  );
};

describe.each(LIBS)('@keel/%s install line', (lib) => {
  it('installs the lib, core, and every required peer', () => {
    const line = libInstall(lib);
    expect(line.slice(0, 2)).toEqual(
      lib === 'core' ? ['@keel/core', line[1]] : [`@keel/${lib}`, '@keel/core'],
    );
    expect(requiredPeers(lib).filter((p) => !line.includes(p))).toEqual([]);
  });

  it('installs no optional peer (the README names those separately)', () => {
    const m = manifest(lib);
    const optional = Object.keys(m.peerDependenciesMeta ?? {});
    expect(libInstall(lib).filter((p) => optional.includes(p))).toEqual([]);
  });
});

describe('the README install section', () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('holds every lib with its line (core comes with each), and one line with the union', () => {
    const all = installedBy(lines);
    const union = new Set(LIBS.filter((l) => l !== 'core').flatMap(libInstall));
    expect(new Set(all)).toEqual(union);
  });
});
