import { Injectable, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { KafkaListener, KafkaProducer, MessagingModule, MessagingStatus } from '@keel/messaging';
import { BROKERS, sleep, unique } from './support/messaging-app';

/** Every line the app logs, by level, as a user's logger would see it. */
class Lines implements LoggerService {
  readonly all: { level: string; text: string }[] = [];
  private add =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      this.all.push({ level, text: [message, ...rest].map(String).join(' ') });
    };
  log = this.add('log');
  error = this.add('error');
  warn = this.add('warn');
  debug = this.add('debug');
  verbose = this.add('verbose');
  problems(): string[] {
    return this.all.filter((l) => l.level === 'error' || l.level === 'warn').map((l) => l.text);
  }
}

const admin = new Kafka({ brokers: BROKERS, clientId: 'keel-test', logLevel: logLevel.NOTHING });

async function partitionsOf(topics: string[]): Promise<Record<string, number>> {
  const a = admin.admin();
  await a.connect();
  try {
    const meta = await a.fetchTopicMetadata({ topics });
    return Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
  } finally {
    await a.disconnect();
  }
}

describe('a first boot on topics that do not exist yet (integration, real Kafka)', () => {
  it('provisions the main topic when asked, logs no error and no warning, and consumes', async () => {
    const topic = unique('clean-boot');
    const got: unknown[] = [];

    @Injectable()
    class Settlements {
      @KafkaListener({
        topics: topic,
        groupId: unique('clean-boot-group'),
        fromBeginning: true,
        provision: { partitions: 3 },
        retry: { attempts: 2, nonBlocking: true, backoff: { initialMs: 50 } },
      })
      onSettlement(payload: unknown): void {
        got.push(payload);
      }
    }

    const lines = new Lines();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRoot({
          brokers: BROKERS,
          clientId: unique('clean'),
          registry: new Registry(),
        }),
      ],
      providers: [Settlements],
    })
      .setLogger(lines) // from the start: the producer is made while the module compiles
      .compile();
    const app = moduleRef.createNestApplication({ logger: lines });
    await app.init();
    try {
      await app.get(MessagingStatus).whenRunning(20_000);
      await app.get(KafkaProducer).send(topic, { id: 's-1' }, { key: 's-1' });
      for (let i = 0; i < 100 && got.length === 0; i++) await sleep(100);
      expect(got).toEqual([{ id: 's-1' }]);
      expect(await partitionsOf([topic, `${topic}.retry.1`, `${topic}.DLT`])).toEqual({
        [topic]: 3,
        [`${topic}.retry.1`]: 3,
        [`${topic}.DLT`]: 3,
      });
      await sleep(500); // what a consumer logs just after its first fetches
      expect(lines.problems()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
