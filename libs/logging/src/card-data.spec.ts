import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { LoggingModule } from './logging.module';
import {
  codeArb,
  expectNoCardData,
  formArb,
  panArb,
} from '../../../test/support/card-data-arbitraries';

// PCI DSS 3.3/3.4: no full card number and no security code in any byte the logger writes,
// whatever shape it comes in. Everything goes through the real LoggingModule and pino.

let app: INestApplicationContext;
let logger: PinoLogger;
const lines: string[] = [];

beforeAll(async () => {
  const destination: DestinationStream = { write: (s: string) => void lines.push(s) };
  @Module({ imports: [LoggingModule.forRoot({ level: 'info', destination, http: false })] })
  class AppModule {}
  app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  logger = await app.resolve(PinoLogger);
});
afterAll(() => app.close());

/** What one call wrote, without the fields pino adds (time and pid hold arbitrary digits). */
function logged(write: (log: PinoLogger) => void): string {
  lines.length = 0;
  write(logger);
  return lines
    .map((line) => {
      const {
        time: _t,
        pid: _p,
        hostname: _h,
        ...rest
      } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(rest);
    })
    .join('\n');
}

const PAN = '4111111111111111';

describe('no card data in any log line (named cases)', () => {
  it('censors security codes under any spelling of their key', () => {
    const out = logged((l) =>
      l.info({ cardCvv: '123', card_cvc: '456', cvvCode: '789', card: { csc: '321' } }, 'x'),
    );
    expectNoCardData(out, [], ['123', '456', '789', '321']);
    const more = logged((l) =>
      l.info(
        { 'card-cid': '4455', CVV2: '135', securityCode: '246', cardVerificationCode: '357' },
        'x',
      ),
    );
    expectNoCardData(more, [], ['4455', '135', '246', '357']);
  });

  it('censors PANs, track data and expiry under their keys', () => {
    const out = logged((l) =>
      l.info(
        {
          cardPan: PAN,
          PAN_hash_input: PAN,
          primary_account_number: PAN,
          cardNo: PAN,
          track2Data: `;${PAN}=2512101`,
          expMonth: 12,
          exp_year: 2031,
          cardExpiry: '12/31',
          card: { last4: '1111', brand: 'visa' },
        },
        'x',
      ),
    );
    expectNoCardData(out, [PAN], ['2031', '12/31']);
    expect(out).toContain('"last4":"1111"');
  });

  it.each([
    ['glued to letters', 'pan4111111111111111'],
    ['after a %xx escape', 'card%3D4111111111111111'],
    ['in track 1', '%B4111111111111111^DOE/J'],
    ['in track 2', ';4111111111111111=25121010000?'],
    ['grouped by dots', '4111.1111.1111.1111'],
    ['JSON in a string', JSON.stringify({ card: { number: PAN, cvc: '737' } })],
    ['URL-encoded JSON', encodeURIComponent(JSON.stringify({ pan: PAN, cvv: '737' }))],
    ['a query string', new URLSearchParams({ pan: PAN, cvv: '737' }).toString()],
  ])('masks a card number %s, in the message, a field and an argument', (_name, text) => {
    const out = logged((l) => {
      l.info(text);
      l.info({ note: text }, 'note');
      l.info('with %s', text);
    });
    expectNoCardData(out, [PAN], ['737']);
    expect(out).toContain('1111');
  });

  it('walks errors under any key, toJSON output, Maps, Sets and Buffers', () => {
    class Money {
      toJSON(): unknown {
        return { pan: PAN, note: `paid ${PAN}` };
      }
    }
    const err = new Error(`declined ${PAN}`) as Error & { cvv?: string };
    err.cvv = '737';
    const out = logged((l) => {
      l.info({ failure: err, money: new Money() }, 'a');
      l.error(err);
      l.info({ err: new Error(`card ${PAN}`) }, 'b');
      l.info(
        {
          m: new Map([
            ['cvv', '737'],
            ['note', PAN],
          ]),
          s: new Set([PAN]),
        },
        'c',
      );
      l.info({ raw: Buffer.from(`pan=${PAN}`) }, 'd');
    });
    expectNoCardData(out, [PAN], ['737']);
    expect(out).toContain('declined ************1111');
  });

  it('masks card data in keys and censors what is past the depth limit', () => {
    let deep: Record<string, unknown> = { note: PAN, cvv: '737' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const out = logged((l) => l.info({ [PAN]: true, 'cvv=737': 1, deep }, 'k'));
    expectNoCardData(out, [PAN], ['737']);
  });
});

describe('no card data in any log line (generated)', () => {
  it('holds for generated PANs and codes in every form, through the real logger', () => {
    fc.assert(
      fc.property(
        panArb,
        codeArb,
        formArb,
        fc.constantFrom('object', 'message', 'argument'),
        (pan, code, form, where) => {
          fc.pre(!pan.slice(-4).includes(code));
          const value = form.make(pan, code);
          const out = logged((l) => {
            if (where === 'object') l.info({ payload: value }, 'generated');
            else if (where === 'message')
              l.info(typeof value === 'string' ? value : JSON.stringify(value));
            else l.info('generated %j', value);
          });
          expectNoCardData(out, [pan], form.carriesCode ? [code] : []);
        },
      ),
      { numRuns: 500 },
    );
  });
});
