// The `npm i` lines of the READMEs, read back so tests can hold them to the packages' peers and
// the packaging test can install exactly what they say.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSTALL_MARK = '<!-- install -->';
const ROOT = join(__dirname, '..', '..');

/** Package names (no version) of every `npm i` line in the first sh block after `mark`. */
export function installedBy(markdown: string, mark = INSTALL_MARK): string[] {
  const at = markdown.indexOf(mark);
  if (at === -1) throw new Error(`no "${mark}" in the README`);
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at));
  if (!block) throw new Error(`no sh block after "${mark}"`);
  const text = block[1].replace(/\\\n/g, ' ');
  const names: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*npm i(?:nstall)? (.+)$/.exec(line.replace(/#.*$/, ''));
    if (!m) continue;
    for (const spec of m[1].trim().split(/\s+/)) {
      // '@scope/name@1.2.3' or 'name@1.2.3' → the name
      const cut = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
      names.push(cut === -1 ? spec : spec.slice(0, cut));
    }
  }
  return names;
}

/** What `libs/<lib>/README.md` tells a user to install, @keel/* included. */
export function libInstall(lib: string): string[] {
  return installedBy(readFileSync(join(ROOT, 'libs', lib, 'README.md'), 'utf8'));
}
