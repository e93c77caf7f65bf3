import { Test } from '@nestjs/testing';
import { LockBackendError, LockModule, LockService } from '@keel/lock';
import { freePort } from '../../../test/support/free-port';

// A wrong Redis address: the error must say where and why, not only ioredis' retry count.
describe('LockModule with a Redis address nothing listens on (integration)', () => {
  it('names the address and ECONNREFUSED, never the password', async () => {
    const port = await freePort();
    const moduleRef = await Test.createTestingModule({
      imports: [LockModule.forRoot({ redis: `redis://app:s3cret@127.0.0.1:${port}` })],
    }).compile();
    const warnings: string[] = [];
    const app = moduleRef.createNestApplication({
      logger: { log() {}, error() {}, warn: (m: unknown) => warnings.push(String(m)) },
    });
    await app.init();
    try {
      const err = await app
        .get(LockService)
        .tryAcquire('order:1')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockBackendError);
      const message = (err as Error).message;
      expect(message).toContain(`Redis at 127.0.0.1:${port}`);
      expect(message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
      expect(message).not.toContain('s3cret');
      expect(message).not.toContain('..');
      expect(warnings.join('\n')).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
      expect(warnings.join('\n')).not.toContain('s3cret');
    } finally {
      await app.close();
    }
  });
});
