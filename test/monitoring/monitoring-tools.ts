import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const MONITORING = join(__dirname, '..', '..', 'deploy', 'monitoring');
export const PROMETHEUS = join(MONITORING, 'prometheus');

/** Runs a Prometheus tool; a missing one fails loudly (scripts/stack.sh up installs it). */
export function tool(bin: string, args: string[], cwd = PROMETHEUS): { code: number; out: string } {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8' });
  if (r.error) {
    throw new Error(
      `${bin} could not run (${r.error.message}): run 'bash scripts/stack.sh up' to install it`,
    );
  }
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f));
}

export function readYaml<T>(file: string): T {
  return load(readFileSync(file, 'utf8')) as T;
}

export function allRules(): Rule[] {
  return yamlFiles(join(PROMETHEUS, 'rules')).flatMap((f) =>
    readYaml<{ groups: { rules: Rule[] }[] }>(f).groups.flatMap((g) => g.rules),
  );
}

/** alertmanager.yml with the webhook URL filled in, as scripts/stack.sh renders it. */
export function renderAlertmanager(webhookUrl: string, to: string): string {
  const text = readFileSync(join(MONITORING, 'alertmanager', 'alertmanager.yml'), 'utf8');
  writeFileSync(to, text.replaceAll('${KEEL_ALERT_WEBHOOK_URL}', webhookUrl));
  return to;
}
