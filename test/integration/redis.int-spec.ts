import Redis from 'ioredis';
import { stackEnv, uniqueName } from '../support/stack-env';

// Proves the stack's Redis servers: a missing server fails these tests (maxRetriesPerRequest 0).
describe('stack: Redis (integration)', () => {
  const clients: Redis[] = [];
  const connect = (url: string): Redis => {
    const c = new Redis(url, {
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: () => null,
    });
    clients.push(c);
    return c;
  };
  afterAll(() => clients.forEach((c) => c.disconnect()));

  it('SET then GET returns the value, with a TTL', async () => {
    const redis = connect(stackEnv.redisUrl);
    const key = uniqueName('keel:stack');
    await redis.set(key, 'value-1', 'PX', 10_000);
    expect(await redis.get(key)).toBe('value-1');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await redis.del(key);
    expect(await redis.get(key)).toBeNull();
  });

  it.each(stackEnv.redlockPorts)(
    'Redlock instance on port %i is a separate server',
    async (port) => {
      const node = connect(`redis://127.0.0.1:${port}`);
      const main = connect(stackEnv.redisUrl);
      const key = uniqueName('keel:node');
      await node.set(key, String(port), 'PX', 10_000);
      expect(await node.get(key)).toBe(String(port));
      expect(await main.get(key)).toBeNull();
      const info = await node.info('server');
      expect(info).toContain(`tcp_port:${port}`);
    },
  );
});
