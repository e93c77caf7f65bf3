import { KeelError } from '@keel/core';

export interface DltReplayArgs {
  dltTopic: string;
  fromOffset?: number;
  limit?: number;
  brokers: string[];
}

export const DLT_REPLAY_USAGE =
  'usage: npm run dlt:replay -- <dlt-topic> [--from-offset N] [--limit N] [--brokers host:port,...]';

/** The command line was wrong; the message says how, then shows the usage. */
export class DltReplayUsageError extends KeelError {
  constructor(problem: string) {
    super(`${problem}\n${DLT_REPLAY_USAGE}`, { code: 'KEEL_DLT_REPLAY_USAGE' });
  }
}

function count(flag: string, value: string | undefined, min: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) {
    throw new DltReplayUsageError(`${flag} needs an integer >= ${min}, got ${value ?? 'nothing'}`);
  }
  return Number(value);
}

/** Parses `<dlt-topic> [--from-offset N] [--limit N] [--brokers a:1,b:2]` (also `--flag=value`). */
export function parseDltReplayArgs(
  argv: readonly string[],
  defaultBrokers: string[],
): DltReplayArgs {
  const positional: string[] = [];
  const out: Partial<DltReplayArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s, 2) : [argv[i]];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--from-offset') out.fromOffset = count(flag, value(), 0);
    else if (flag === '--limit') out.limit = count(flag, value(), 1);
    else if (flag === '--brokers') {
      const list = (value() ?? '').split(',').filter(Boolean);
      if (list.length === 0 || !list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b))) {
        throw new DltReplayUsageError('--brokers needs host:port[,host:port...]');
      }
      out.brokers = list;
    } else if (flag.startsWith('-')) throw new DltReplayUsageError(`unknown option ${flag}`);
    else positional.push(flag);
  }
  if (positional.length !== 1) {
    throw new DltReplayUsageError(
      positional.length ? 'give exactly one DLT topic' : 'missing <dlt-topic>',
    );
  }
  return { ...out, dltTopic: positional[0], brokers: out.brokers ?? defaultBrokers };
}
