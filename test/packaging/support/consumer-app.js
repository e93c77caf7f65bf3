// A plain app that uses every packed @keel/* lib, copied into a temporary directory outside the
// repository and run there with `node`: CommonJS JavaScript, no ts-node, no tsconfig paths, so
// it proves the packed dist works on its own. Decorators are applied by hand, as tsc would.
//
// Env: PORT, REDIS_URL, KAFKA_BROKERS (comma-separated), KEEL_TOPIC, KEEL_CLIENT_ID,
// KEEL_LOCK_PREFIX. Prints `KEEL_CONSUMER_READY {json}` once it listens and its consumer runs.
'use strict';
require('reflect-metadata');
const {
  ConflictException,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  Query,
} = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { HealthModule } = require('@keel/health');
const { DistributedLock, LockModule, LockNotAcquiredError, LockService } = require('@keel/lock');
const { LoggingModule, useKeelLogger } = require('@keel/logging');
const {
  KafkaListener,
  KafkaProducer,
  MessagingModule,
  MessagingStatus,
} = require('@keel/messaging');
const { MetricsModule, Timed } = require('@keel/metrics');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`consumer-app: ${name} is not set`);
  return value;
};
const PORT = Number(env('PORT'));
const REDIS_URL = env('REDIS_URL');
const BROKERS = env('KAFKA_BROKERS').split(',');
const TOPIC = env('KEEL_TOPIC');
const CLIENT_ID = env('KEEL_CLIENT_ID');

/** What `@dec` on a method compiles to: decorate the descriptor, then define it back. */
function decorateMethod(cls, name, decorators) {
  const proto = cls.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  Object.defineProperty(proto, name, Reflect.decorate(decorators, proto, name, descriptor));
}

/** What `@Injectable() class X { constructor(a: A, b: B) }` compiles to. */
function injectable(cls, paramTypes = []) {
  Reflect.decorate([Reflect.metadata('design:paramtypes', paramTypes)], cls);
  Injectable()(cls);
}

// The locked method runs until the test releases it, so "while it runs" is not a timing guess.
class Settlement {
  constructor(locks) {
    this.locks = locks;
    this.gates = new Map();
  }

  async settle(id, hold) {
    const handle = this.locks.current(`settle:${id}`);
    if (hold) {
      await new Promise((resolve) => {
        this.gates.set(id, resolve);
        setTimeout(resolve, 20_000).unref(); // never hold forever if the test goes away
      });
    }
    return { id, fencingToken: handle ? handle.fencingTokens[0] : null };
  }

  release(id) {
    const open = this.gates.get(id);
    this.gates.delete(id);
    if (open) open();
    return open !== undefined;
  }
}
// listed outermost first, as written above a method: @Timed times the whole locked call
decorateMethod(Settlement, 'settle', [
  Timed('keel_pack_settle_seconds'),
  DistributedLock({ key: 'settle:{0}', onBusy: 'throw', leaseMs: 15_000 }),
]);
injectable(Settlement, [LockService]);

class Inbox {
  constructor() {
    this.received = [];
  }

  receive(payload, ctx) {
    this.received.push({ payload, key: ctx.key, topic: ctx.topic });
  }
}
decorateMethod(Inbox, 'receive', [KafkaListener({ topics: TOPIC, fromBeginning: true })]);
injectable(Inbox);

class ProbeController {
  constructor(settlement, inbox, producer) {
    this.settlement = settlement;
    this.inbox = inbox;
    this.producer = producer;
  }

  async settle(id, hold) {
    try {
      return await this.settlement.settle(id, hold === '1');
    } catch (err) {
      if (err instanceof LockNotAcquiredError) throw new ConflictException(err.message);
      throw err;
    }
  }

  release(id) {
    return { released: this.settlement.release(id) };
  }

  async publish(id) {
    await this.producer.send(TOPIC, { id }, { key: id });
    return { sent: id };
  }

  received() {
    return this.inbox.received;
  }
}
decorateMethod(ProbeController, 'settle', [Get('settle/:id')]);
Param('id')(ProbeController.prototype, 'settle', 0);
Query('hold')(ProbeController.prototype, 'settle', 1);
decorateMethod(ProbeController, 'release', [Post('release/:id')]);
Param('id')(ProbeController.prototype, 'release', 0);
decorateMethod(ProbeController, 'publish', [Post('publish/:id')]);
Param('id')(ProbeController.prototype, 'publish', 0);
decorateMethod(ProbeController, 'received', [Get('inbox')]);
Reflect.decorate(
  [Reflect.metadata('design:paramtypes', [Settlement, Inbox, KafkaProducer])],
  ProbeController,
);
Controller('probe')(ProbeController);

class AppModule {}
Module({
  imports: [
    LoggingModule.forRoot({ service: 'keel-pack-consumer' }),
    MetricsModule.forRoot({ service: 'keel-pack-consumer' }),
    LockModule.forRoot({ redis: REDIS_URL, keyPrefix: env('KEEL_LOCK_PREFIX') }),
    MessagingModule.forRoot({ brokers: BROKERS, clientId: CLIENT_ID }),
    HealthModule.forRoot({
      redis: REDIS_URL,
      kafka: { brokers: BROKERS, clientId: `${CLIENT_ID}-health` },
      drainMs: 0, // the test stops the app at once; nothing to drain
    }),
  ],
  controllers: [ProbeController],
  providers: [Settlement, Inbox],
})(AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  useKeelLogger(app);
  app.enableShutdownHooks();
  await app.listen(PORT, '127.0.0.1');
  await app.get(MessagingStatus).whenRunning(30_000);
  const resolved = {};
  for (const lib of ['core', 'lock', 'metrics', 'logging', 'messaging', 'health']) {
    resolved[`@keel/${lib}`] = require.resolve(`@keel/${lib}`);
  }
  process.stdout.write(`KEEL_CONSUMER_READY ${JSON.stringify({ pid: process.pid, resolved })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
