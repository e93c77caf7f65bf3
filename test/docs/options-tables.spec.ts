// Each lib's README documents every option of its option types, as `npm run docs:options` writes
// it: a new option, a changed type or doc comment, or a hand edit of a table fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEGIN, optionsTables, regeneratedReadme } from '../../scripts/docs/options-tables';

const LIBS = ['lock', 'metrics', 'logging', 'messaging', 'health'];
const libDir = (lib: string) => join(__dirname, '..', '..', 'libs', lib);

describe.each(LIBS)('@keel/%s README options tables', (lib) => {
  it('has a generated options block', () => {
    expect(readFileSync(join(libDir(lib), 'README.md'), 'utf8')).toContain(BEGIN);
  });

  it('matches the option types (run `npm run docs:options` after changing them)', async () => {
    const readme = readFileSync(join(libDir(lib), 'README.md'), 'utf8');
    expect(readme).toBe(await regeneratedReadme(libDir(lib)));
  });

  it('says what every option does (a doc comment on each option)', () => {
    const tables = optionsTables(libDir(lib));
    expect(tables.length).toBeGreaterThan(0);
    const undocumented = tables.flatMap((t) =>
      t.rows.filter((r) => r.doc === '').map((r) => `${t.interface}.${r.name}`),
    );
    expect(undocumented).toEqual([]);
  });
});
