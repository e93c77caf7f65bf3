import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { KafkaListener, KafkaProducer, MessagingModule, MessagingStatus } from '@keel/messaging';
import { freePort } from '../../../test/support/free-port';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { BROKERS, createTopics, unique } from './support/messaging-app';

// Kafka down when the app starts: the app still boots (Spring Kafka's containers do the same),
// listeners show `failed` and keep retrying, and once the broker answers they consume.
describe('messaging with Kafka unreachable at start-up (integration, real broker)', () => {
  it('boots, shows the listener failed, then consumes once the broker is reachable', async () => {
    const topic = unique('late-broker');
    await createTopics([topic]);
    const [host, port] = BROKERS[0].split(':');
    const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
    const seen: unknown[] = [];
    @Injectable()
    class Listener {
      @KafkaListener({ topics: topic, groupId: unique('late-group'), fromBeginning: true })
      handle(payload: unknown): void {
        seen.push(payload);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRoot({
          // bootstrap through the proxy; the broker's metadata then names its real address
          brokers: [`127.0.0.1:${proxy.port}`],
          clientId: unique('late-app'),
          registry: new Registry(),
          restart: { initialMs: 200, maxMs: 1_000 },
          kafka: { logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 100 } },
        }),
      ],
      providers: [Listener],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init(); // must not throw with nothing listening on the broker address
      const status = app.get(MessagingStatus);
      const [listener] = status.consumers();
      expect(listener.state).toBe('failed');
      expect(listener.lastError).toEqual(expect.any(String));

      await proxy.open();
      await status.whenRunning(30_000);
      await app.get(KafkaProducer).send(topic, { n: 1 });
      const deadline = Date.now() + 20_000;
      while (seen.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([{ n: 1 }]);
    } finally {
      await app.close();
      await proxy.cut();
    }
  });
});

// The local stack's KRaft controller listens on 9093 (scripts/kafka/server.properties): what a
// user who copied the wrong port gets.
describe('messaging pointed at a KRaft controller port (integration, real broker)', () => {
  it('says so: the listener and a send name the address and the likely fix', async () => {
    const controller = `${BROKERS[0].split(':')[0]}:9093`;
    @Injectable()
    class Listener {
      @KafkaListener({ topics: unique('ctl'), groupId: unique('ctl-group') })
      handle(): void {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRoot({
          brokers: [controller],
          clientId: unique('ctl-app'),
          registry: new Registry(),
          restart: { initialMs: 5_000, maxMs: 5_000 },
          kafka: { logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 100 } },
        }),
      ],
      providers: [Listener],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      const [listener] = app.get(MessagingStatus).consumers();
      expect(listener.state).toBe('failed');
      expect(listener.lastError).toContain('does not support the requested API version');
      expect(listener.lastError).toContain(
        `at ${controller}: is that a KRaft controller listener?`,
      );
      const send = app.get(KafkaProducer).send(unique('ctl'), { n: 1 });
      await expect(send).rejects.toThrow(`at ${controller}: is that a KRaft controller listener?`);
    } finally {
      await app.close();
    }
  });
});
