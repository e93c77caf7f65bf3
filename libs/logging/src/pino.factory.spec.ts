import { assignContext, runWithContext } from '@keel/core';
import type { DestinationStream } from 'pino';
import { resolveLoggingOptions } from './logging.validation';
import type { LoggingModuleOptions } from './logging.options';
import { createKeelPino, createRedactor } from './pino.factory';

function logger(options: LoggingModuleOptions = {}) {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (s: string) => void lines.push(s) };
  const resolved = resolveLoggingOptions({ ...options, destination }, {});
  const log = createKeelPino(resolved, createRedactor(resolved));
  const parsed = (): Record<string, unknown>[] =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, parsed };
}

describe('the Keel pino logger', () => {
  it('adds core context ids and fields to each line, and service and base fields', () => {
    const { log, parsed } = logger({ service: 'svc', base: { env: 'test' } });
    runWithContext(
      { requestId: 'r1', traceId: 't1', spanId: 's1', fields: { paymentId: 'p1' } },
      () => {
        log.info('one');
        assignContext({ step: 2 });
        log.info({ extra: true }, 'two');
      },
    );
    log.info('three');
    const [one, two, three] = parsed();
    expect(one).toMatchObject({
      service: 'svc',
      env: 'test',
      requestId: 'r1',
      traceId: 't1',
      spanId: 's1',
      paymentId: 'p1',
      msg: 'one',
    });
    expect(two).toMatchObject({ paymentId: 'p1', step: 2, extra: true });
    expect(three.requestId).toBeUndefined();
  });

  it('masks card numbers in messages, interpolation arguments and errors', () => {
    const { log, lines } = logger();
    log.info('card 4111 1111 1111 1111');
    log.info('card %s and %j', '5555555555554444', { pan: 'x', note: '4111111111111111' });
    log.error(new Error('declined 4111111111111111'));
    log.error({ err: new Error('declined 5555-5555-5555-4444') }, 'failed');
    const all = lines.join('');
    expect(all).not.toMatch(/4111 ?1111|5555-?5555/);
    expect(all).toContain('card ************1111');
    expect(all).toContain('declined ************4444');
  });

  it('applies explicit user paths and keys, and can turn presets off', () => {
    const { log, parsed } = logger({ redact: { paths: ['customer.taxId'], keys: ['iban'] } });
    log.info({ customer: { taxId: 'T', name: 'N' }, account: { IBAN: 'DE00' } });
    expect(parsed()[0]).toMatchObject({
      customer: { taxId: '[Redacted]', name: 'N' },
      account: { IBAN: '[Redacted]' },
    });

    const off = logger({ redact: { presets: false, cardNumbersInText: false } });
    off.log.info({ password: 'p' }, '4111111111111111');
    expect(off.parsed()[0]).toMatchObject({ password: 'p', msg: '4111111111111111' });
  });

  it('fails the boot naming redact.paths for a path pino cannot compile', () => {
    expect(() => logger({ redact: { paths: ['a..b['] } })).toThrow(/redact\.paths/);
  });
});
