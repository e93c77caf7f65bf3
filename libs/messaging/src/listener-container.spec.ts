import { ConsoleLogger, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Kafka } from 'kafkajs';
import { ListenerContainer } from './listener-container';
import type { ListenerDefinition } from './listener-definition';
import type { MessageDispatcher } from './message-dispatcher';
import { MessagingMetrics } from './messaging.metrics';

type Handler = (e: { payload: Record<string, unknown> }) => void;

/** A kafkajs consumer stand-in whose connect fails on chosen attempts. */
function fakeKafka(failConnectOn: number[]) {
  let connects = 0;
  let handlers = new Map<string, Handler>();
  const events = { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash' };
  const kafka = {
    consumer: () => {
      handlers = new Map();
      return {
        events,
        on: (event: string, h: Handler) => handlers.set(event, h),
        connect: () => {
          connects++;
          return failConnectOn.includes(connects)
            ? Promise.reject(new Error('broker unreachable'))
            : Promise.resolve();
        },
        subscribe: () => Promise.resolve(),
        run: () => Promise.resolve(),
        stop: () => Promise.resolve(),
        disconnect: () => Promise.resolve(),
      };
    },
  };
  const emit = (event: string, payload: Record<string, unknown> = {}): void =>
    handlers.get(event)!({ payload });
  return { kafka: kafka as unknown as Kafka, emit, connects: () => connects };
}

const def = {
  name: 'Listener.handle',
  groupId: 'g',
  topics: ['t'],
  retryTopics: [],
  topicPattern: undefined,
  concurrency: 1,
  fromBeginning: false,
  batch: false,
} as unknown as ListenerDefinition;

/** A container on `kafka` restarting after 100 ms, doubling up to 1 s. */
function container(kafka: Kafka, registry = new Registry()): ListenerContainer {
  return new ListenerContainer(
    def,
    kafka,
    {} as MessageDispatcher,
    new MessagingMetrics(registry),
    { initialMs: 100, maxMs: 1_000 },
    {},
  );
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('ListenerContainer restarts', () => {
  // the container logs each failed start; the assertions below are what matters here
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts a crashed consumer with growing backoff and shows failed while it cannot', async () => {
    const k = fakeKafka([2, 3]);
    const c = container(k.kafka);
    await c.start();
    k.emit('join');
    expect(c.status().state).toBe('running');

    k.emit('crash', { error: new Error('boom'), restart: false });
    expect(c.status()).toMatchObject({
      state: 'restarting',
      restarts: 1,
      lastError: 'Error: boom',
    });

    jest.advanceTimersByTime(100); // first restart: connect fails
    await flush();
    expect(c.status()).toMatchObject({ state: 'failed', lastError: 'Error: broker unreachable' });
    expect(k.connects()).toBe(2);

    jest.advanceTimersByTime(199); // backoff doubled to 200 ms
    await flush();
    expect(k.connects()).toBe(2);
    jest.advanceTimersByTime(1);
    await flush();
    expect(k.connects()).toBe(3);
    expect(c.status().state).toBe('failed');

    jest.advanceTimersByTime(400); // third attempt connects and joins
    await flush();
    expect(k.connects()).toBe(4);
    k.emit('join');
    expect(c.status().state).toBe('running');
    await c.stop();
    expect(c.status().state).toBe('stopped');
  });

  it('leaves restarts after retriable errors to kafkajs', async () => {
    const k = fakeKafka([]);
    const c = container(k.kafka);
    await c.start();
    k.emit('crash', { error: new Error('coordinator moved'), restart: true });
    jest.advanceTimersByTime(5_000);
    await flush();
    expect(k.connects()).toBe(1);
    expect(c.status()).toMatchObject({ state: 'restarting', restarts: 1 });
  });

  it('shows on keel_kafka_consumer_running whether the consumer is in its group', async () => {
    const registry = new Registry();
    const running = async (): Promise<number | undefined> => {
      const m = await registry.getSingleMetric('keel_kafka_consumer_running')?.get();
      return m?.values.find(
        (v) => v.labels.listener === 'Listener.handle' && v.labels.group === 'g',
      )?.value;
    };
    const k = fakeKafka([]);
    const c = container(k.kafka, registry);
    await c.start();
    expect(await running()).toBe(0); // starting
    k.emit('join');
    expect(await running()).toBe(1);
    k.emit('crash', { error: new Error('coordinator moved'), restart: true });
    expect(await running()).toBe(0);
    await c.stop();
  });

  it('logs retriable crashes as info, and a run of them without a group join as a warning', async () => {
    const lines: string[] = [];
    const keep = (level: string) => (message: unknown) =>
      void lines.push(`${level} ${String(message)}`);
    Logger.overrideLogger({ log: keep('log'), warn: keep('warn'), error: keep('error') });
    try {
      const k = fakeKafka([]);
      const c = container(k.kafka);
      await c.start();
      const crash = (): void =>
        k.emit('crash', { error: new Error('The coordinator is loading'), restart: true });
      crash();
      crash();
      crash();
      k.emit('join');
      crash();
      expect(lines).toEqual([
        'log Consumer restarting after a retriable error (Error: The coordinator is loading); 1 in a row since it last joined its group',
        'log Consumer restarting after a retriable error (Error: The coordinator is loading); 2 in a row since it last joined its group',
        'warn Consumer restarting after a retriable error (Error: The coordinator is loading); 3 in a row since it last joined its group',
        'log Consumer restarting after a retriable error (Error: The coordinator is loading); 1 in a row since it last joined its group',
      ]);
    } finally {
      Logger.overrideLogger(false);
    }
  });

  it('boots with Kafka down: shows failed and retries provisioning and start with backoff', async () => {
    const k = fakeKafka([1]);
    const c = container(k.kafka);
    let prepares = 0;
    const prepare = (): Promise<void> =>
      ++prepares === 1 ? Promise.reject(new Error('no brokers')) : Promise.resolve();

    await c.launch(prepare); // resolves: the app is not held up
    expect(c.status()).toMatchObject({ state: 'failed', lastError: 'Error: no brokers' });
    expect(k.connects()).toBe(0);

    jest.advanceTimersByTime(100); // provisioning now works, the consumer's connect does not
    await flush();
    expect(prepares).toBe(2);
    expect(k.connects()).toBe(1);
    expect(c.status()).toMatchObject({ state: 'failed', lastError: 'Error: broker unreachable' });

    jest.advanceTimersByTime(200);
    await flush();
    expect(prepares).toBe(3);
    expect(k.connects()).toBe(2);
    k.emit('join');
    expect(c.status().state).toBe('running');
    await c.stop();
  });

  it('stops retrying once stopped', async () => {
    const k = fakeKafka([]);
    const c = container(k.kafka);
    await c.launch(() => Promise.reject(new Error('no brokers')));
    await c.stop();
    jest.advanceTimersByTime(5_000);
    await flush();
    expect(k.connects()).toBe(0);
    expect(c.status().state).toBe('stopped');
  });
});
