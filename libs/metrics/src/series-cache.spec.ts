import { SeriesCache } from './series-cache';

describe('SeriesCache', () => {
  it('creates each child once and refuses new ones past the cap, warning once', () => {
    const onFull = jest.fn();
    const cache = new SeriesCache<{ key: string }>('http_x', 2, onFull);
    const create = jest.fn((key: string) => ({ key }));
    const a = cache.get('a', () => create('a'));
    expect(cache.get('a', () => create('a'))).toBe(a);
    expect(cache.get('b', () => create('b'))).toEqual({ key: 'b' });
    expect(cache.get('c', () => create('c'))).toBeUndefined();
    expect(cache.get('d', () => create('d'))).toBeUndefined();
    expect(create).toHaveBeenCalledTimes(2);
    expect(onFull).toHaveBeenCalledTimes(1);
    expect(onFull).toHaveBeenCalledWith('http_x', 2);
    // existing series keep working
    expect(cache.get('a', () => create('a'))).toBe(a);
    expect(cache.size).toBe(2);
  });
});
