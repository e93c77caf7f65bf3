import { isSecurityCodeKey } from './security-code-keys';

describe('isSecurityCodeKey', () => {
  it.each([
    'cvv',
    'CVV2',
    'cvc',
    'cvc2',
    'csc',
    'cid',
    'CID',
    'cvn',
    'cav2',
    'cardCvv',
    'card_cvc',
    'cvvCode',
    'card-csc',
    'card-cid',
    'cardCid',
    'securityCode',
    'security_code',
    'cardSecurityCode',
    'cardVerificationCode',
    'CardCVC',
  ])('knows %s', (key) => expect(isSecurityCodeKey(key)).toBe(true));

  it.each(['id', 'cardId', 'acidTest', 'cidr', 'company', 'pan', 'amount', 'code', 'x'.repeat(80)])(
    'leaves %s alone',
    (key) => expect(isSecurityCodeKey(key)).toBe(false),
  );
});
