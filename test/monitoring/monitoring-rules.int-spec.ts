import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allRules,
  MONITORING,
  PROMETHEUS,
  readYaml,
  renderAlertmanager,
  tool,
  yamlFiles,
} from './monitoring-tools';

interface RuleTests {
  tests: {
    alert_rule_test?: { alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[];
    promql_expr_test?: { expr: string }[];
  }[];
}

const ruleTests = yamlFiles(join(PROMETHEUS, 'tests')).map((f) => readYaml<RuleTests>(f).tests);
const alertCases = ruleTests.flat().flatMap((t) => t.alert_rule_test ?? []);
const exprCases = ruleTests.flat().flatMap((t) => t.promql_expr_test ?? []);
const alerts = allRules().filter((r) => r.alert);
const records = allRules().filter((r) => r.record);

describe('monitoring as code (integration: promtool and amtool)', () => {
  it('the Prometheus config and every rule file are valid (promtool check config)', () => {
    const r = tool('promtool', ['check', 'config', 'prometheus.yml']);
    expect({ code: r.code, out: r.out }).toEqual({
      code: 0,
      out: expect.stringContaining('SUCCESS') as string,
    });
  });

  it('every rule unit test passes (promtool test rules)', () => {
    const files = yamlFiles(join(PROMETHEUS, 'tests'));
    const r = tool('promtool', ['test', 'rules', ...files]);
    expect({ code: r.code, failed: r.out.includes('FAILED') ? r.out : '' }).toEqual({
      code: 0,
      failed: '',
    });
  });

  it.each(alerts.map((a) => [a.alert!, a]))(
    '%s: severity, service, summary, description with the value, a runbook, and tests both ways',
    (name, a) => {
      const problems: string[] = [];
      if (!['page', 'ticket'].includes(a.labels?.severity ?? ''))
        problems.push('severity is not page or ticket');
      if (!a.annotations?.summary) problems.push('no summary');
      if (
        !a.annotations?.description?.includes('$value') &&
        !a.annotations?.description?.includes('$labels')
      )
        problems.push('the description shows no value');
      const runbook = `deploy/monitoring/runbooks/${name}.md`;
      if (a.annotations?.runbook_url !== runbook) problems.push(`runbook_url is not ${runbook}`);
      const file = join(MONITORING, 'runbooks', `${name}.md`);
      if (!existsSync(file)) problems.push(`${runbook} is missing`);
      else {
        const text = readFileSync(file, 'utf8');
        for (const h of ['## What it means', '## How to confirm', '## How to mitigate']) {
          if (!text.includes(h)) problems.push(`${runbook} has no "${h}"`);
        }
        if (!text.includes('```promql')) problems.push(`${runbook} gives no PromQL to confirm`);
      }
      const cases = alertCases.filter((c) => c.alertname === name);
      const firing = cases.flatMap((c) => c.exp_alerts);
      if (firing.length === 0) problems.push('no test where it fires');
      if (!cases.some((c) => c.exp_alerts.length === 0))
        problems.push('no test where it stays silent');
      for (const f of firing) {
        if (!f.exp_labels.service) problems.push('a firing test expects no service label');
        if (f.exp_labels.severity !== a.labels?.severity)
          problems.push('a firing test expects another severity');
      }
      expect(problems).toEqual([]);
    },
  );

  it('every recording rule is evaluated by a test, and named level:metric:operations', () => {
    const untested = records
      .map((r) => r.record!)
      .filter((name) => !exprCases.some((c) => c.expr.includes(name)));
    const misnamed = records
      .map((r) => r.record!)
      .filter((name) => !/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/.test(name));
    expect({ untested, misnamed }).toEqual({ untested: [], misnamed: [] });
  });

  describe('Alertmanager', () => {
    const config = renderAlertmanager(
      'http://127.0.0.1:9097/alerts',
      join(mkdtempSync(join(tmpdir(), 'keel-am-')), 'alertmanager.yml'),
    );

    it('the config is valid (amtool check-config)', () => {
      const r = tool('amtool', ['check-config', config]);
      expect({ code: r.code, out: r.out }).toEqual({
        code: 0,
        out: expect.stringContaining('SUCCESS') as string,
      });
    });

    it.each([
      [
        'severity=page service=payments alertname=PaymentsAvailabilityBurnRatePage',
        'payments-page',
      ],
      ['severity=ticket service=payments alertname=KafkaDeadLetters', 'payments-ticket'],
      ['severity=page service=host alertname=InstanceDown', 'platform-page'],
      ['severity=ticket service=host alertname=HostDiskFillingUp', 'platform-ticket'],
      ['alertname=SomethingNew', 'platform-ticket'],
    ])('routes %s to %s (amtool config routes test)', (labels, receiver) => {
      const r = tool('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        `--verify.receivers=${receiver}`,
        ...labels.split(' '),
      ]);
      expect({ code: r.code, receiver: r.out.split('\n')[0] }).toEqual({ code: 0, receiver });
    });

    it('inhibits an instance alerts while it is down, and an SLO ticket while its page fires', () => {
      const am = readYaml<{ inhibit_rules: Record<string, unknown>[] }>(config);
      expect(am.inhibit_rules).toEqual([
        {
          source_matchers: ['alertname="InstanceDown"'],
          target_matchers: ['alertname!="InstanceDown"'],
          equal: ['instance'],
        },
        {
          source_matchers: ['severity="page"', 'slo=~".+"'],
          target_matchers: ['severity="ticket"'],
          equal: ['service', 'slo'],
        },
      ]);
    });
  });
});
