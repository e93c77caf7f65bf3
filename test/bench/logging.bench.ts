// npm run bench -- logging   (move to test/bench/logging.bench.ts; import './harness' there)
// One request-context log line: requestId, traceId, spanId, two context fields and an object
// holding a card. Keel (context via mixin, compiled header paths, key redaction at any depth,
// Luhn masking of strings) against raw pino carrying the same context as child bindings (what
// pino-http does) with the card fields redacted by explicit paths, and against the same with
// `*` wildcard paths. Both write to a no-op destination. Unit: µs per line, lower is better,
// so ratio = ours / baseline <= 1.2 means Keel costs at most 20 % more per line.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino, { type BaseLogger, type DestinationStream } from 'pino';
import { runWithContext } from '@keel/core';
import { LoggingModule, PinoLogger, type LoggingModuleOptions } from '@keel/logging';
import { BenchRow, BenchSuite, compare, opsPerSecond, row } from './harness';

const noop: DestinationStream = { write: () => undefined };
const CONTEXT = {
  requestId: '550e8400-e29b-41d4-a716-446655440000',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
};
const FIELDS = { merchantId: 'm-1042', paymentId: 'pay_8f3a2c' };
const HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];
const CARD_PATHS = ['payment.card.number', 'payment.card.cvc', 'payment.card.expiry'];
const WILDCARD_PATHS = ['*.card.number', '*.card.cvc', '*.card.expiry', '*.password', '*.token'];

const payload = (): Record<string, unknown> => ({
  payment: {
    id: 'pay_8f3a2c',
    amount: 1999,
    currency: 'EUR',
    card: { number: '4111111111111111', cvc: '737', expiry: '12/30', brand: 'visa' },
  },
  attempt: 1,
});

async function keelLogger(
  options: LoggingModuleOptions,
): Promise<[BaseLogger, () => Promise<void>]> {
  @Module({ imports: [LoggingModule.forRoot({ ...options, destination: noop, http: false })] })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, {
    logger: false,
    abortOnError: false,
  });
  const logger = (await app.resolve(PinoLogger)).logger;
  return [logger, () => app.close()];
}

function rawLogger(paths: string[]): BaseLogger {
  return pino({ redact: { paths: [...HEADER_PATHS, ...paths] } }, noop).child({
    ...CONTEXT,
    ...FIELDS,
  });
}

const usPerLine = (ops: number): number => 1e6 / ops;

function inContext(log: BaseLogger): () => Promise<number> {
  return () =>
    runWithContext({ ...CONTEXT, fields: { ...FIELDS } }, () =>
      opsPerSecond(() => log.info(payload(), 'payment authorised')),
    );
}

function plain(log: BaseLogger): () => Promise<number> {
  return () => opsPerSecond(() => log.info(payload(), 'payment authorised'));
}

const suite: BenchSuite = {
  async run(): Promise<BenchRow[]> {
    const [keel, closeKeel] = await keelLogger({});
    const [bare, closeBare] = await keelLogger({
      redact: { presets: false, cardNumbersInText: false },
    });
    try {
      const explicit = await compare(inContext(keel), plain(rawLogger(CARD_PATHS)));
      const wildcard = await compare(inContext(keel), plain(rawLogger(WILDCARD_PATHS)));
      const own = await compare(inContext(keel), inContext(bare));
      return [
        row(
          'context line + card: Keel vs pino child, explicit paths',
          usPerLine(explicit.ours),
          usPerLine(explicit.baseline),
          'µs/line',
          '<= 1.2',
        ),
        row(
          'context line + card: Keel vs pino child, `*` wildcard paths',
          usPerLine(wildcard.ours),
          usPerLine(wildcard.baseline),
          'µs/line',
          '<= 1.2',
        ),
        row(
          'cost of redaction: Keel vs Keel with redaction off',
          usPerLine(own.ours),
          usPerLine(own.baseline),
          'µs/line',
          '',
        ),
      ];
    } finally {
      await closeKeel();
      await closeBare();
    }
  },
};

export default suite;
