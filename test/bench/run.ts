// `npm run bench -- <suite>`: runs test/bench/<suite>.bench.ts, prints a markdown table and
// writes test/bench/results/<suite>.json.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchReport, BenchSuite, environment, markdownTable } from './harness';

async function main(): Promise<void> {
  const suites = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''));
  const name = process.argv[2];
  if (!name || !suites.includes(name)) {
    console.error(`usage: npm run bench -- <suite>   (suites: ${suites.join(', ') || 'none'})`);
    process.exitCode = 2;
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(__dirname, `${name}.bench.ts`)) as { default: BenchSuite };
  const results = await mod.default.run();
  const report: BenchReport = {
    suite: name,
    date: new Date().toISOString(),
    ...environment(),
    results,
  };
  const dir = join(__dirname, 'results');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  console.log(`\n## ${name} (${report.node}, ${report.cpu})\n`);
  console.log(markdownTable(results));
  console.log(`\nwritten: test/bench/results/${name}.json`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
