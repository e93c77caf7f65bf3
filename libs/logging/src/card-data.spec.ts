import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { LoggingModule } from './logging.module';

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

/** Fails naming the secret and the output when a PAN or a code shows, masked tails aside. */
function expectNoCardData(output: string, pans: string[], codes: string[] = []): void {
  const digitsOnly = output.replace(/[^0-9*]/g, '');
  const unseparated = output.replace(/%20|[ .+-]/g, '');
  for (const pan of pans) {
    if (output.includes(pan) || digitsOnly.includes(pan) || unseparated.includes(pan)) {
      throw new Error(`PAN ${pan} leaked in: ${output}`);
    }
  }
  const unmasked = output.replace(/\*{3,}\d{4}/g, '#');
  for (const code of codes) {
    if (unmasked.includes(code)) throw new Error(`code ${code} leaked in: ${output}`);
  }
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

// A Luhn-valid PAN of 13-19 digits.
const panArb = fc
  .tuple(
    fc.integer({ min: 12, max: 18 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
    fc.integer({ min: 2, max: 6 }),
  )
  .map(([len, digits, first]) => {
    const body = [first, ...digits].slice(0, len).join('');
    for (let d = 0; d <= 9; d++) {
      const pan = body + d;
      let sum = 0;
      for (let i = 0; i < pan.length; i++) {
        let v = pan.charCodeAt(pan.length - 1 - i) - 48;
        if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
      }
      if (sum % 10 === 0) return pan;
    }
    throw new Error('unreachable');
  });
// Three or four digits that the PAN does not end with (its masked tail stays readable).
const codeArb = fc.stringMatching(/^[0-9]{3,4}$/);
const wordArb = fc.stringMatching(/^[a-zA-Z]{0,8}$/);
const cvvKeyArb = fc.constantFrom(
  'cvv',
  'CVV',
  'cvc',
  'cvc2',
  'cvv2',
  'csc',
  'cid',
  'cardCvv',
  'card_cvc',
  'cvvCode',
  'card-csc',
  'securityCode',
  'security_code',
  'CardCVC',
  'cardCid',
  'cvn',
);
const panKeyArb = fc.constantFrom(
  'pan',
  'PAN',
  'cardNumber',
  'card_number',
  'card-number',
  'cardNo',
  'primaryAccountNumber',
  'cardPan',
  'creditCardNumber',
  'ccNumber',
  'accountNumber',
);
const sepArb = fc.constantFrom('', ' ', '-', '.', '%20');
const edgeArb = fc.constantFrom('', 'x', 'pan', '=', '%3D', '"', "'", '^', ':', ' ', '_', '/');

function grouped(pan: string, sep: string): string {
  return sep === '' ? pan : (pan.match(/.{1,4}/g) ?? []).join(sep);
}

type Form = (pan: string, code: string) => unknown;
// each form, and whether it carries the code too
const forms: Record<string, fc.Arbitrary<Form>> = {
  keys: fc
    .tuple(panKeyArb, cvvKeyArb, fc.integer({ min: 0, max: 6 }))
    .map(([pk, ck, depth]): Form => (pan, code) => {
      let obj: Record<string, unknown> = { [pk]: pan, [ck]: code };
      for (let i = 0; i < depth; i++) obj = { level: i, inner: obj };
      return obj;
    }),
  text: fc.tuple(edgeArb, edgeArb, sepArb, wordArb).map(
    ([before, after, sep, word]): Form =>
      (pan) =>
        `${word}${before}${grouped(pan, sep)}${after}${word}`,
  ),
  labelledCode: fc.tuple(cvvKeyArb, fc.constantFrom('=', ': ', '":"', '%3D', '%22%3A%22')).map(
    ([key, sep]): Form =>
      (pan, code) =>
        `ok ${key}${sep}${code}&pan=${pan}`,
  ),
  jsonInString: fc
    .tuple(panKeyArb, cvvKeyArb)
    .map(([pk, ck]): Form => (pan, code) => ({ body: JSON.stringify({ [pk]: pan, [ck]: code }) })),
  urlEncoded: fc.tuple(panKeyArb, cvvKeyArb, fc.boolean()).map(
    ([pk, ck, json]): Form =>
      (pan, code) =>
        json
          ? encodeURIComponent(JSON.stringify({ [pk]: pan, [ck]: code }))
          : new URLSearchParams({ [pk]: pan, [ck]: code }).toString(),
  ),
  panAsKey: fc.constant((pan: string) => ({ [pan]: 'seen' })),
  error: fc.constant((pan: string) => ({ cause: new Error(`card ${pan} declined`) })),
  collections: fc.constant((pan: string, code: string) => ({
    m: new Map([
      ['cvv', code],
      ['n', pan],
    ]),
    s: new Set([pan]),
    b: Buffer.from(pan),
  })),
};

const WITHOUT_CODE = new Set(['text', 'panAsKey', 'error']);
const formArb = fc.oneof(
  ...Object.entries(forms).map(([name, arb]) =>
    arb.map((make) => ({ name, make, carriesCode: !WITHOUT_CODE.has(name) })),
  ),
);

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
