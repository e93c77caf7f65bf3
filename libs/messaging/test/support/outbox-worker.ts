// A separate OS process that commits outbox rows and is SIGKILLed before a relay publishes them:
//   <dialect> <table> <topic> <count> <keys> <relay: on|off>
//   prints COMMITTED <n> after each commit, DONE when all are committed
import 'reflect-metadata';
import { bootOutboxApp, insertBusinessRow, openDataSource, type Dialect } from './outbox-app';

const [dialect, table, topic, total, keys, relay] = process.argv.slice(2);

async function main(): Promise<void> {
  const ds = await openDataSource(dialect as Dialect, table);
  const { outbox } = await bootOutboxApp(
    ds,
    table,
    relay === 'on' ? { batchSize: 10, pollIntervalMs: 20 } : false,
  );
  const perKey = new Map<string, number>();
  for (let i = 0; i < Number(total); i++) {
    const key = `k${i % Number(keys)}`;
    const seq = perKey.get(key) ?? 0;
    perKey.set(key, seq + 1);
    await ds.transaction(async (em) => {
      await insertBusinessRow(em, table, `p${i}`, i);
      await outbox.add(em, { topic, key, value: { id: `e${i}`, key, seq } });
    });
    process.stdout.write(`COMMITTED ${i + 1}\n`);
  }
  process.stdout.write('DONE\n');
  await new Promise(() => undefined); // wait for the SIGKILL
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
