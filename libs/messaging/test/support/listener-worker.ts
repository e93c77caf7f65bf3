// A separate OS process with one listener that starts handling and hangs, to be SIGKILLed:
//   <topic> <groupId>   prints HANDLING <n> when a handler starts
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import { KafkaListener, MessagingModule, MessagingStatus } from '@keel/messaging';

const [topic, groupId] = process.argv.slice(2);
const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');

@Injectable()
class Hanging {
  @KafkaListener({ topics: topic, groupId, fromBeginning: true })
  async handle(payload: { n: number }): Promise<void> {
    process.stdout.write(`HANDLING ${payload.n}\n`);
    await new Promise(() => undefined); // never finishes: the kill lands mid-handler
  }
}

@Module({
  imports: [
    MessagingModule.forRoot({
      brokers: BROKERS,
      clientId: 'keel-test-worker',
      consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 },
      kafka: { logLevel: logLevel.NOTHING },
    }),
  ],
  providers: [Hanging],
})
class WorkerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  await app.get(MessagingStatus).whenRunning();
  process.stdout.write('RUNNING\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
