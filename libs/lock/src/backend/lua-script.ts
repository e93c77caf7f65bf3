import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import { lockDeadlines } from '../deadline-timer';
import { LockBackendError } from '../lock.errors';
import type { RedisClient } from './redis-connection';
import { toBackendError } from './with-timeout';

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
    const started = Date.now();
    const cmd = new Command(verb, [script, numKeys, ...args], {
      replyEncoding: 'utf8',
      keyPrefix: client.options.keyPrefix,
    });
    const deadline = lockDeadlines.add(started + timeoutMs, () =>
      cmd.reject(new LockBackendError(`${what}: no answer within ${timeoutMs} ms`)),
    );
    void client.sendCommand(cmd);
    return cmd.promise.then(
      (reply: unknown) => {
        lockDeadlines.delete(deadline);
        return map(reply);
      },
      (err: unknown) => {
        lockDeadlines.delete(deadline);
        const left = timeoutMs - (Date.now() - started);
        if (verb === 'evalsha' && err instanceof Error && err.message.includes('NOSCRIPT')) {
          if (left > 0) return this.send(client, 'eval', this.lua, numKeys, args, left, what, map);
        }
        throw toBackendError(what, err);
      },
    );
  }
}

function identity(reply: unknown): unknown {
  return reply;
}
