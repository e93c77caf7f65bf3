import { sqlFence } from './sql-fence';

describe('sqlFence', () => {
  it('accepts a token equal to the stored one (the holder writes again) and refuses a lower one: `<= ?`', () => {
    expect(sqlFence(42)).toEqual({
      condition: 'fence_token <= ?',
      params: [42],
      assignment: 'fence_token = ?',
    });
    expect(sqlFence(3, 'lock_fence').condition).toBe('lock_fence <= ?');
  });

  it('rejects a bad token or a column that is not a plain identifier', () => {
    expect(() => sqlFence(0)).toThrow(/positive integer/);
    expect(() => sqlFence(1.5)).toThrow(/positive integer/);
    expect(() => sqlFence(1, 'x; DROP TABLE p')).toThrow(/plain identifier/);
  });
});
