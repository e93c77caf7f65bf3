import fc from 'fast-check';
import { describeValue } from './option-checks';
import { sanitizeRequestId } from './trace-headers';
import {
  codeArb,
  expectNoCardData,
  formArb,
  panArb,
} from '../../../test/support/card-data-arbitraries';

// What core itself lets out: a request id (it goes into every log line, the response header
// and outgoing Kafka headers) and an option value shown in a boot error.
describe('no card data in a request id or an option error (generated)', () => {
  it('holds for generated PANs and codes in every form', () => {
    fc.assert(
      fc.property(panArb, codeArb, formArb, (pan, code, form) => {
        fc.pre(!pan.slice(-4).includes(code));
        const made = form.make(pan, code);
        const text = typeof made === 'string' ? made : JSON.stringify(made);
        const codes = form.carriesCode ? [code] : [];
        expectNoCardData(sanitizeRequestId(text) ?? '', [pan], codes);
        expectNoCardData(sanitizeRequestId(`req-${pan}`) ?? '', [pan]);
        expectNoCardData(describeValue(text), [pan], codes);
        expectNoCardData(describeValue(made), [pan], codes);
      }),
      { numRuns: 500 },
    );
  });
});
