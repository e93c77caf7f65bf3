import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import type { RedisClient } from './redis-connection';
import { keelDeadlines, monotonicMs } from '@keel/core/internal';
import { toBackendError } from './backend-errors';

type Arg = string | number;

/**
 * A Lua script run by EVALSHA (EVAL once after NOSCRIPT, e.g. after a Redis restart) within a
 * budget. The budget rejects the command itself, so a call costs one promise on top of the
 * command's own; ioredis's defineCommand plus a timeout wrapper measured three more per call.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /**
   * Resolves `map(reply)`, or rejects with LockBackendError (errors and `timeoutMs` without a
   * reply). `map` runs in the reply's own callback: a `.then` per call less.
   */
  run<T = unknown>(
    client: RedisClient,
    numKeys: number,
    args: Arg[],
    timeoutMs: number,
    what: string,
    map: (reply: unknown) => T = identity as (reply: unknown) => T,
  ): Promise<T> {
    return this.send(client, 'evalsha', this.sha, numKeys, args, timeoutMs, what, map);
  }

  private send<T>(
    client: RedisClient,
    verb: 'evalsha' | 'eval',
    script: string,
    numKeys: number,
    args: Arg[],
    timeoutMs: number,
    what: string,
    map: (reply: unknown) => T,
  ): Promise<T> {
    const started = monotonicMs();
    const cmd = command(verb, script, numKeys, args, client.options.keyPrefix);
    const deadline = keelDeadlines.add(started + timeoutMs, () =>
      cmd.reject(toBackendError(what, new Error(`no answer within ${timeoutMs} ms`), client)),
    );
    void client.sendCommand(cmd);
    return cmd.promise.then(
      (reply: unknown) => {
        keelDeadlines.delete(deadline);
        return map(reply);
      },
      (err: unknown) => {
        keelDeadlines.delete(deadline);
        const left = timeoutMs - (monotonicMs() - started);
        if (verb === 'evalsha' && err instanceof Error && err.message.includes('NOSCRIPT')) {
          if (left > 0) return this.send(client, 'eval', this.lua, numKeys, args, left, what, map);
        }
        throw toBackendError(what, err, client);
      },
    );
  }
}

const NO_ARGS: string[] = [];

/**
 * The command, its arguments set after construction: ioredis's constructor flattens them with
 * Array.prototype.flat, which measured about 0.7 us a call here, a visible share of a lock
 * cycle, and ours are flat already. With a client keyPrefix, ioredis prefixes the keys itself.
 */
function command(
  verb: string,
  script: string,
  numKeys: number,
  args: readonly Arg[],
  keyPrefix: string | undefined,
): Command {
  if (keyPrefix) {
    return new Command(verb, [script, numKeys, ...args], { replyEncoding: 'utf8', keyPrefix });
  }
  // ioredis stringifies arguments while constructing; these are set after, so stringified here
  const cmd = new Command(verb, NO_ARGS, { replyEncoding: 'utf8' });
  const all: string[] = [script, String(numKeys)];
  for (const a of args) all.push(typeof a === 'string' ? a : String(a));
  cmd.args = all;
  return cmd;
}

function identity(reply: unknown): unknown {
  return reply;
}
