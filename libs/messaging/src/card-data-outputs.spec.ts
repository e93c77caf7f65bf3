import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import type { KafkaMessage } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import { DLT_HEADERS, failureHeaders } from './dead-letter';
import { jsonSerializer } from './json.serializer';
import type { NewOutboxRow, OutboxStore } from './outbox/outbox-store';
import { OutboxService } from './outbox/outbox.service';
import {
  codeArb,
  expectNoCardData,
  formArb,
  panArb,
} from '../../../test/support/card-data-arbitraries';

// PCI DSS 3.3/3.4 for what messaging writes itself: an outbox row (stored, then published as
// it is) and a dead-letter record's failure headers. Generated PANs and codes in every form go
// through the real OutboxService.add() (the database at a seam: the row it would insert) and
// the real failureHeaders().

const rows: NewOutboxRow[] = [];
const store = {
  insert: (_em: EntityManager, row: NewOutboxRow) => Promise.resolve(String(rows.push(row))),
} as unknown as OutboxStore;
const outbox = new OutboxService(store, jsonSerializer);
const inTransaction = { queryRunner: { isTransactionActive: true } } as unknown as EntityManager;
const warnings: string[] = [];

beforeAll(() => {
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => {
    warnings.push(String(m));
  });
});
afterAll(() => jest.restoreAllMocks());

/** A form as text, for the places that take strings only (a key, a header, an error message). */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Everything the row holds as text: the payload decoded, the key, the headers. */
function stored(row: NewOutboxRow): string {
  const payload = row.payload ?? '';
  const text = row.encoding === 'base64' ? Buffer.from(payload, 'base64').toString() : payload;
  return [text, row.key ?? '', row.headers].join('\n');
}

describe('no card data in an outbox row or its warning (generated)', () => {
  it('holds for generated PANs and codes in the value, the key and the headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        panArb,
        codeArb,
        formArb,
        fc.constantFrom('value', 'key', 'header'),
        async (pan, code, form, where) => {
          fc.pre(!pan.slice(-4).includes(code));
          rows.length = 0;
          warnings.length = 0;
          const made = form.make(pan, code);
          await outbox.add(inTransaction, {
            topic: 'payments.captured',
            key: where === 'key' ? asText(made) : 'pay-1',
            value: where === 'value' ? { id: 'pay-1', payload: made } : { id: 'pay-1' },
            headers: where === 'header' ? { 'x-note': asText(made) } : {},
          });
          expect(rows).toHaveLength(1);
          const codes = form.carriesCode ? [code] : [];
          expectNoCardData(stored(rows[0]), [pan], codes);
          expectNoCardData(warnings.join('\n'), [pan], codes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stores the row even when it masked something, and says where', async () => {
    rows.length = 0;
    warnings.length = 0;
    const pan = '4111111111111111';
    await outbox.add(inTransaction, { topic: 't', key: null, value: { cvv: '737', pan } });
    expect(JSON.parse(rows[0].payload ?? '')).toEqual({ cvv: '***', pan: '************1111' });
    expect(warnings.join('\n')).toContain('message.value.cvv');
  });
});

const record = {
  key: Buffer.from('k'),
  value: Buffer.from('{}'),
  timestamp: '1700000000000',
  attributes: 0,
  offset: '42',
  size: 0,
  headers: {},
} as unknown as KafkaMessage;

describe('no card data in the failure headers of a retry or dead-letter record (generated)', () => {
  it('holds for an error whose message or name quotes generated card data', () => {
    fc.assert(
      fc.property(
        panArb,
        codeArb,
        formArb,
        fc.constantFrom('message', 'name', 'thrown string'),
        (pan, code, form, where) => {
          fc.pre(!pan.slice(-4).includes(code));
          const text = `declined: ${asText(form.make(pan, code))}`;
          const error = where === 'thrown string' ? text : new Error(text);
          if (where === 'name' && error instanceof Error) error.name = text;
          const headers = failureHeaders({
            topic: 't',
            partition: 0,
            message: record,
            error,
            attempts: 3,
          });
          // the headers made from the error; the others are the record's topic, offsets and
          // timestamp, whose digits would pass for a code
          const fromError = [
            headers[DLT_HEADERS.exceptionName],
            headers[DLT_HEADERS.exceptionMessage],
          ];
          expect(fromError[1]).toContain('declined');
          expectNoCardData(fromError.join('\n'), [pan], form.carriesCode ? [code] : []);
        },
      ),
      { numRuns: 500 },
    );
  });
});
