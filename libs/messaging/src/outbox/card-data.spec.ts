import { maskEventCardData } from './card-data';

const PAN = '4111111111111111';

describe('maskEventCardData', () => {
  it('masks card numbers in strings, numbers, keys and toJSON output, at any depth', () => {
    const event = {
      id: 'pay-1',
      card: { number: PAN, note: `card=${PAN}`, raw: 4111111111111111 },
      lines: [{ track: `%B${PAN}^DOE/J^2512101` }],
      [PAN]: 'as a key',
      at: { toJSON: () => ({ copied: `pan ${PAN}` }) },
      amount: 1250,
    };
    const { value, paths } = maskEventCardData(event);
    const text = JSON.stringify(value);
    expect(text).not.toContain(PAN);
    expect(text).not.toMatch(/41111111/);
    expect(JSON.parse(text)).toMatchObject({ id: 'pay-1', amount: 1250 });
    expect(paths).toEqual(
      expect.arrayContaining([
        'value.card.number',
        'value.card.note',
        'value.card.raw',
        'value.lines[0].track',
        'value (a key)',
        'value.at.copied',
      ]),
    );
    expect(JSON.stringify(paths)).not.toContain(PAN);
  });

  it('returns the same value when there is nothing to mask', () => {
    const event = { id: 'pay-2', amount: 12.5, tags: ['a', 'b'], order: '1234567890' };
    const { value, paths } = maskEventCardData(event);
    expect(value).toBe(event);
    expect(paths).toEqual([]);
  });

  it('censors what is nested deeper than it walks instead of passing it unchecked', () => {
    let deep: Record<string, unknown> = { pan: PAN };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    const { value } = maskEventCardData(deep);
    expect(JSON.stringify(value)).not.toContain(PAN);
  });
});

describe('maskEventCardData: security codes and Buffers', () => {
  it('censors whatever sits under a security-code key, in any spelling and type', () => {
    const event = { cvv: '737', card: { cvc: 456, securityCode: { v: '123' } }, cardCid: '4455' };
    const { value, paths } = maskEventCardData(event);
    expect(value).toEqual({
      cvv: '***',
      card: { cvc: '***', securityCode: '***' },
      cardCid: '***',
    });
    expect(paths).toEqual([
      'value.cvv',
      'value.card.cvc',
      'value.card.securityCode',
      'value.cardCid',
    ]);
  });

  it('masks card numbers in a Buffer of text, and leaves other Buffers as they are', () => {
    const { value } = maskEventCardData({ raw: Buffer.from(`pan=${PAN}`) });
    expect(value.raw.toString()).toBe('pan=************1111');
    const binary = Buffer.from([0, 255, 1]);
    expect(maskEventCardData({ binary }).value.binary).toBe(binary);
  });
});
