import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { runWithContext } from '@keel/core';
import { HealthModule } from '@keel/health';
import { LoggingModule, PinoLogger } from '@keel/logging';
import { KafkaListener, KafkaProducer, MessagingModule, MessagingStatus } from '@keel/messaging';
import { MetricsModule, Timed } from '@keel/metrics';
import { Registry } from 'prom-client';
import { metricValue } from '../support/metric-value';
import { CapturedLines } from '../../libs/logging/test/support/captured-lines';
import { stackEnv, uniqueName } from '../support/stack-env';

const TOPIC = uniqueName('keel.e2e.settlement');
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

@Injectable()
class SettlementConsumer {
  constructor(private readonly log: PinoLogger) {}

  @Timed('settlement_handler_seconds')
  @KafkaListener({ topics: TOPIC, fromBeginning: true })
  onCaptured(event: { paymentId: string }): void {
    this.log.info({ paymentId: event.paymentId }, 'settling payment');
  }
}

describe('a payment followed from request to consumer, timed, and consumers in readiness (e2e, real Kafka)', () => {
  let app: INestApplication;
  const lines = new CapturedLines();
  const registry = new Registry();

  beforeAll(async () => {
    const admin = new Kafka({
      clientId: 'keel-e2e',
      brokers: stackEnv.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const moduleRef = await Test.createTestingModule({
      imports: [
        LoggingModule.forRoot({ destination: lines, level: 'info', http: false }),
        MessagingModule.forRoot({
          brokers: stackEnv.kafkaBrokers,
          clientId: uniqueName('keel-e2e'),
        }),
        HealthModule.forRoot({ kafka: { brokers: stackEnv.kafkaBrokers } }),
        MetricsModule.forRoot({ registry, defaultMetrics: false, httpMetrics: false }),
      ],
      providers: [SettlementConsumer],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    await app.get(MessagingStatus).whenRunning(30_000);
  });
  afterAll(() => app.close());

  it('readiness includes the running consumer', async () => {
    const res = await fetch(`${await app.getUrl()}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      info: {
        kafka: { status: 'up' },
        kafka_consumers: { status: 'up', consumers: [{ state: 'running' }] },
      },
    });
  });

  it('the consumer logs with the requestId and traceId of the request that produced the event', async () => {
    const producer = app.get(KafkaProducer);
    await runWithContext(
      { requestId: 'req-pay-42', traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: '01' },
      () => producer.send(TOPIC, { paymentId: 'pay-42' }, { key: 'pay-42' }),
    );
    const line = await lines.waitFor((l) => l.msg === 'settling payment', 20_000);
    expect(line).toMatchObject({ paymentId: 'pay-42', requestId: 'req-pay-42', traceId: TRACE_ID });
    expect(line.spanId).not.toBe('b7ad6b7169203331'); // the consumer's own span in the same trace
    // the same @Timed works on a Kafka listener
    expect(
      await metricValue(registry, 'settlement_handler_seconds', {
        class: 'SettlementConsumer',
        method: 'onCaptured',
        outcome: 'SUCCESS',
      }),
    ).toBe(1);
  });
});
