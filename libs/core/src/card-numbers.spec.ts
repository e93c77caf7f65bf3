import { isCardLikeNumber, luhnValid, maskCardNumbers } from './card-numbers';

describe('card numbers in text', () => {
  it.each([
    ['Visa', '4111111111111111', '************1111'],
    ['Visa with spaces', '4111 1111 1111 1111', '************1111'],
    ['Visa 13 digits', '4222222222222', '*********2222'],
    ['Mastercard with dashes', '5555-5555-5555-4444', '************4444'],
    ['Mastercard 2-series', '2223003122003222', '************3222'],
    ['Amex 4-6-5', '3782 822463 10005', '***********0005'],
    ['Amex plain', '371449635398431', '***********8431'],
    ['Discover', '6011 1111 1111 1117', '************1117'],
  ])('masks a %s number to its last 4 digits', (_name, card, masked) => {
    expect(maskCardNumbers(card)).toBe(masked);
    expect(maskCardNumbers(`paid with ${card}, thanks`)).toBe(`paid with ${masked}, thanks`);
    expect(maskCardNumbers(`pan=${card}`)).toBe(`pan=${masked}`);
  });

  it('masks every card in a text', () => {
    expect(maskCardNumbers('a 4111111111111111 b 5555-5555-5555-4444 c')).toBe(
      'a ************1111 b ************4444 c',
    );
  });

  it('leaves numbers that fail the Luhn check alone', () => {
    const rng = (n: number): string =>
      Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
    let checked = 0;
    while (checked < 200) {
      const digits = '4' + rng(15);
      if (luhnValid(digits)) continue;
      checked++;
      expect(maskCardNumbers(`order ${digits}`)).toBe(`order ${digits}`);
    }
    expect(maskCardNumbers('order 1234567812345678 shipped')).toBe(
      'order 1234567812345678 shipped',
    );
    expect(maskCardNumbers('4111 1111 1111 1112')).toBe('4111 1111 1111 1112');
  });

  it('leaves a card-valid number inside a longer digit run alone', () => {
    expect(maskCardNumbers('id 411111111111111100042')).toBe('id 411111111111111100042');
    expect(maskCardNumbers('id 99994111111111111111')).toBe('id 99994111111111111111');
  });

  it.each([
    ['glued to letters', 'pan4111111111111111', 'pan************1111'],
    ['inside a hex-looking id', 'a4111111111111111f', 'a************1111f'],
    ['after an escaped =', 'card%3D4111111111111111', 'card%3D************1111'],
    ['after an escaped space', 'pan%204111111111111111', 'pan%20************1111'],
    ['grouped by escaped spaces', '4111%201111%201111%201111', '************1111'],
    ['grouped by +', 'n=4111+1111+1111+1111', 'n=************1111'],
    ['grouped by dots', '4111.1111.1111.1111', '************1111'],
    ['in quotes', '{"n":"4111111111111111"}', '{"n":"************1111"}'],
    ['after ^', 'x^4111111111111111^', 'x^************1111^'],
    ['between underscores', 'id_4111111111111111_x', 'id_************1111_x'],
  ])('masks a card number %s', (_name, text, masked) => {
    expect(maskCardNumbers(text)).toBe(masked);
  });

  it.each([
    ['track 1, name only', '%B4111111111111111^DOE/J', '%B************1111^***'],
    [
      'track 1, whole',
      'read %B4111111111111111^DOE/JOHN^2512101000000000000000?; ok',
      'read %B************1111^***; ok',
    ],
    ['track 2', ';4111111111111111=25121010000000000?', ';************1111=***'],
    ['track 2 of a non-Luhn test PAN', '4000000000000001=2512101123', '************0001=***'],
  ])('masks %s data whole but for the last 4 digits', (_name, text, masked) => {
    expect(maskCardNumbers(text)).toBe(masked);
  });

  it.each([
    ['cvv=123', 'cvv=***'],
    ['card_cvc: 4567 ok', 'card_cvc: **** ok'],
    ['{"cvv":"737","x":1}', '{"cvv":"***","x":1}'],
    ['cvv%3D737', 'cvv%3D***'],
    ['%22cvc%22%3A%22737%22', '%22cvc%22%3A%22***%22'],
    ['securityCode=123', 'securityCode=***'],
    ['CVV2 = 123', 'CVV2 = ***'],
  ])('masks a security code written next to its name: %s', (text, masked) => {
    expect(maskCardNumbers(text)).toBe(masked);
  });

  it('keeps numbers that only follow such a name at a distance, and longer ones', () => {
    expect(maskCardNumbers('cvv checks passed for order 123')).toBe(
      'cvv checks passed for order 123',
    );
    expect(maskCardNumbers('cid=12345')).toBe('cid=12345');
  });

  it('does not take short groups ("10 20 30") for a card, but finds the card among them', () => {
    expect(maskCardNumbers('10 20 30 40 50 60 70 83')).toBe('10 20 30 40 50 60 70 83');
    expect(maskCardNumbers('12 4111 1111 1111 1111 22')).toBe('12 ************1111 22');
  });

  it('returns short or digit-free text as it is (same string)', () => {
    const text = 'nothing to see here, just words and 12 digits';
    expect(maskCardNumbers(text)).toBe(text);
    expect(maskCardNumbers('4111')).toBe('4111');
  });

  it('recognises card numbers given as numbers, but not epoch milliseconds', () => {
    expect(isCardLikeNumber(4111111111111111)).toBe(true);
    expect(isCardLikeNumber(4111111111111112)).toBe(false);
    // 13 digits, Luhn-valid, but a timestamp shape
    expect(luhnValid('1732612345675')).toBe(true);
    expect(isCardLikeNumber(1732612345675)).toBe(false);
  });
});
