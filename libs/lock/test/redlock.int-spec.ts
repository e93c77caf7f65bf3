import { LockBackendError, LockNotAcquiredError } from '@keel/lock';
import { bootLockApp, LockApp } from './support/lock-app';
import { RedisNode, startRedisNode } from './support/redis-nodes';

describe('Redlock over 3 independent Redis masters (integration)', () => {
  let nodes: RedisNode[];
  let ctx: LockApp;

  beforeAll(async () => {
    nodes = await Promise.all([startRedisNode(), startRedisNode(), startRedisNode()]);
    ctx = await bootLockApp({ redis: undefined, nodes: nodes.map((n) => n.url), waitMs: 1_000 });
  });
  afterAll(async () => {
    await ctx.app.close();
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('grants with all nodes up, excludes others, and fences with increasing tokens', async () => {
    const a = await ctx.locks.acquire('rl:1');
    expect(await ctx.locks.tryAcquire('rl:1')).toBeNull();
    await a.release();
    const b = await ctx.locks.acquire('rl:1');
    expect(b.fencingToken).toBeGreaterThan(a.fencingToken);
    await b.release();
  });

  it('still grants with one of three nodes stopped, tokens still increasing', async () => {
    const before = await ctx.locks.acquire('rl:2');
    await before.release();
    await nodes[0].stop();
    const started = Date.now();
    const h = await ctx.locks.acquire('rl:2');
    expect(Date.now() - started).toBeLessThan(500);
    expect(h.fencingToken).toBeGreaterThan(before.fencingToken);
    await expect(ctx.locks.acquire('rl:2', { waitMs: 100 })).rejects.toThrow(LockNotAcquiredError);
    await h.release();
  });

  it('fails fast with two of three stopped (no quorum), with LockBackendError', async () => {
    await nodes[1].stop();
    const started = Date.now();
    const err = await ctx.locks.acquire('rl:3', { waitMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockBackendError);
    expect((err as Error).message).toMatch(/only 1 of 3 Redlock nodes answered/);
    expect(Date.now() - started).toBeLessThan(1_300);
  });
});
