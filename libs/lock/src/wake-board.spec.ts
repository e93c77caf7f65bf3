import { WakeBoard } from './wake-board';

describe('WakeBoard', () => {
  it('wakes only the named next waiter, or every waiter on the name when none is named', async () => {
    const board = new WakeBoard();
    const a = board.add('a', ['k']);
    const b = board.add('b', ['k']);
    const woke: string[] = [];
    const sa = board.sleep(a, 10_000).then(() => woke.push('a'));
    const sb = board.sleep(b, 10_000).then(() => woke.push('b'));
    board.released('k', 'b');
    await sb;
    expect(woke).toEqual(['b']);
    board.released('k', '');
    await sa;
    expect(woke).toEqual(['b', 'a']);
  });

  it('remembers a wake-up that came before the sleep', async () => {
    const board = new WakeBoard();
    const w = board.add('w', ['k']);
    board.released('k', 'w');
    const started = Date.now();
    await board.sleep(w, 5_000);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('times out without a wake-up and forgets removed waiters', async () => {
    const board = new WakeBoard();
    const w = board.add('w', ['k']);
    const started = Date.now();
    await board.sleep(w, 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    board.remove(w);
    board.released('k', 'w');
    expect(w.woken).toBe(false);
  });

  it('hands the fence of an outright grant to the named waiter only', async () => {
    const board = new WakeBoard();
    const a = board.add('a', ['k']);
    const b = board.add('b', ['k']);
    const sleeping = board.sleep(b, 10_000);
    board.released('k', 'b', 42);
    await sleeping;
    expect([a.grant, b.grant]).toEqual([0, 42]);
  });
});
