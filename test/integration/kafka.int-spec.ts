import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { stackEnv, uniqueName } from '../support/stack-env';

describe('stack: Kafka (integration)', () => {
  const kafka = new Kafka({
    clientId: 'keel-stack-test',
    brokers: stackEnv.kafkaBrokers,
    logLevel: logLevel.WARN,
  });

  it('creates a topic, produces, and a consumer group receives the message', async () => {
    const topic = uniqueName('keel.stack');
    const admin = kafka.admin();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const consumer = kafka.consumer({ groupId: uniqueName('keel-stack-group') });
    try {
      await admin.connect();
      expect(
        await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true }),
      ).toBe(true);
      expect(await admin.listTopics()).toContain(topic);

      await producer.connect();
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'pay-1', value: JSON.stringify({ amount: 1250 }), headers: { h: 'v' } }],
      });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<{ key: string; value: string; header: string }>((resolve) => {
        void consumer.run({
          eachMessage: ({ message }) => {
            resolve({
              key: message.key?.toString() ?? '',
              value: message.value?.toString() ?? '',
              header: message.headers?.h?.toString() ?? '',
            });
            return Promise.resolve();
          },
        });
      });
      await expect(received).resolves.toEqual({
        key: 'pay-1',
        value: '{"amount":1250}',
        header: 'v',
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
