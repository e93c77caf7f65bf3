// npm run docs:options: rewrites the options tables of every lib's README from the option types.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEGIN, regeneratedReadme } from './options-tables';

async function main(): Promise<void> {
  const libs = join(__dirname, '..', '..', 'libs');
  for (const lib of readdirSync(libs)) {
    const readme = join(libs, lib, 'README.md');
    if (!existsSync(readme)) continue;
    const before = readFileSync(readme, 'utf8');
    // core has no module to configure, so its README has no block
    if (!before.includes(BEGIN)) continue;
    const after = await regeneratedReadme(join(libs, lib));
    if (after !== before) {
      writeFileSync(readme, after);
      console.log(`updated ${readme}`);
    }
  }
}

void main();
