// npm run dlt:replay -- <dlt-topic> [--from-offset N] [--limit N] [--brokers host:port]
// Re-publishes dead-lettered messages to their original topics. Exit 2 on bad arguments.
import { Kafka, logLevel } from 'kafkajs';
import { DltReplayer, DltReplayUsageError, parseDltReplayArgs } from '@keel/messaging';

async function main(): Promise<number> {
  let args;
  try {
    args = parseDltReplayArgs(
      process.argv.slice(2),
      (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(','),
    );
  } catch (err) {
    if (!(err instanceof DltReplayUsageError)) throw err;
    console.error(err.message);
    return 2;
  }
  const kafka = new Kafka({
    brokers: args.brokers,
    clientId: 'keel-dlt-replay',
    logLevel: logLevel.ERROR,
  });
  const summary = await new DltReplayer(kafka).replay(args.dltTopic, args);
  const total = Object.values(summary.replayed).reduce((a, b) => a + b, 0);
  console.log(
    `read ${summary.read} from ${summary.dltTopic}, replayed ${total}, skipped ${summary.skipped}`,
  );
  for (const [topic, n] of Object.entries(summary.replayed)) console.log(`  ${topic}: ${n}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`dlt:replay failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
