import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// The consumer is plain CommonJS JavaScript: it proves the packed dist works without our
// tsconfig paths, ts-jest or anything else from this repository.
const CONSUMER = `
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const core = require('@keel/core');

const TAG = 'consumer:tag';
class Payments {
  capture(id) { return 'captured ' + id; }
}
Reflect.decorate([core.createKeelDecorator(TAG, { key: 'payment:{0}' })], Payments.prototype, 'capture',
  Object.getOwnPropertyDescriptor(Payments.prototype, 'capture'));
Injectable()(Payments);

class TagExplorer {
  constructor(discovery, registry) { this.discovery = discovery; this.registry = registry; this.keys = []; }
  onModuleInit() {
    for (const h of this.discovery.findMethods(TAG)) {
      const resolve = core.compileKeyTemplate(h.metadata.key, h);
      this.registry.addLayer(h, (next) => (...args) => { this.keys.push(...resolve(args)); return next(...args) + ' (wrapped)'; });
    }
  }
}
Reflect.decorate([Reflect.metadata('design:paramtypes', [core.HandlerDiscoveryService, core.KeelMethodRegistry])], TagExplorer);
Injectable()(TagExplorer);

class AppModule {}
Module({ imports: [core.KeelCoreModule], providers: [Payments, TagExplorer] })(AppModule);

(async () => {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const out = app.get(Payments).capture('p-42');
  const keys = app.get(TagExplorer).keys;
  const err = new core.KeelConfigError('x');
  await app.close();
  process.stdout.write(JSON.stringify({ out, keys, errName: err.name, resolved: require.resolve('@keel/core') }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('@keel/core as a package (npm pack, installed outside the repo)', () => {
  let dir: string;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('packs, installs into a temporary app and boots a Nest module with it', () => {
    run('npx', ['tsc', '-p', 'libs/core/tsconfig.lib.json'], ROOT);
    dir = mkdtempSync(join(tmpdir(), 'keel-pack-'));
    const tarball = run('npm', ['pack', join(ROOT, 'libs/core'), '--pack-destination', dir], dir)
      .trim()
      .split('\n')
      .pop()!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const deps = ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs'].map(
      (d) => `${d}@${rootPkg.dependencies[d]}`,
    );
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball), ...deps],
      dir,
    );
    writeFileSync(join(dir, 'consumer.js'), CONSUMER);

    const result = JSON.parse(run('node', ['consumer.js'], dir)) as {
      out: string;
      keys: string[];
      errName: string;
      resolved: string;
    };
    expect(result.resolved.startsWith(join(dir, 'node_modules', '@keel', 'core'))).toBe(true);
    expect(result.out).toBe('captured p-42 (wrapped)');
    expect(result.keys).toEqual(['payment:p-42']);
    expect(result.errName).toBe('KeelConfigError');
  });
});
