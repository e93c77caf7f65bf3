import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createPool, Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { DistributedLock, fencedSet, LockService, sqlFence } from '@keel/lock';
import { bootLockApp, LockApp, REDIS_URL, sleep } from './support/lock-app';

const MARIADB_URL = process.env.MARIADB_TEST_URL || 'mysql://root@127.0.0.1:3306/keel_test';
const table = `lock_fence_${process.pid}_${Date.now().toString(36)}`;

@Injectable()
class Ledger {
  constructor(readonly pool: Pool) {}

  // read, then write in a transaction, committed inside the method: the lock is released only
  // after the returned promise settles, so the next holder reads the committed value
  @DistributedLock({ key: 'ledger:{0}' })
  async addOne(id: number): Promise<void> {
    const conn = await this.pool.getConnection();
    try {
      await conn.beginTransaction();
      const [rows] = await conn.query<RowDataPacket[]>(
        `SELECT amount FROM \`${table}\` WHERE id = ?`,
        [id],
      );
      await sleep(2);
      await conn.query(`UPDATE \`${table}\` SET amount = ? WHERE id = ?`, [
        Number(rows[0].amount) + 1,
        id,
      ]);
      await conn.commit();
    } finally {
      conn.release();
    }
  }
}

describe('fencing helpers and commit visibility (integration: Redis + MariaDB)', () => {
  const pool = createPool({ uri: MARIADB_URL, connectionLimit: 8 });
  const redis = new Redis(REDIS_URL);
  let ctx: LockApp;
  let locks: LockService;

  beforeAll(async () => {
    await pool.query(
      `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, status VARCHAR(16) NOT NULL, amount INT NOT NULL DEFAULT 0, fence_token BIGINT NOT NULL DEFAULT 0)`,
    );
    await pool.query(`INSERT INTO \`${table}\` (id, status) VALUES (1, 'new'), (2, 'new')`);
    ctx = await bootLockApp(
      {},
      { providers: [{ provide: Ledger, useFactory: () => new Ledger(pool) }] },
    );
    locks = ctx.locks;
  });
  afterAll(async () => {
    await ctx.app.close();
    await pool.query(`DROP TABLE IF EXISTS \`${table}\``);
    await pool.end();
    redis.disconnect();
  });

  it('SQL guard: the holder may write twice under its token; a stale holder (lease lost, lower token) cannot overwrite it', async () => {
    const stale = await locks.acquire('payment:1', { leaseMs: 50, watchdog: false });
    await sleep(80); // stale holder paused past its lease (a GC pause, say)
    const fresh = await locks.acquire('payment:1');
    expect(fresh.fencingToken).toBeGreaterThan(stale.fencingToken);

    const write = async (token: number, status: string): Promise<number> => {
      const g = sqlFence(token);
      const [res] = await pool.execute<ResultSetHeader>(
        `UPDATE \`${table}\` SET status = ?, ${g.assignment} WHERE id = 1 AND ${g.condition}`,
        [status, g.params[0], g.params[0]],
      );
      return res.affectedRows;
    };
    expect(await write(fresh.fencingToken, 'captured')).toBe(1);
    // the same holder's second write, under the same token, lands too
    expect(await write(fresh.fencingToken, 'settled')).toBe(1);
    expect(await write(stale.fencingToken, 'refunded')).toBe(0);
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT status, fence_token FROM \`${table}\` WHERE id = 1`,
    );
    expect(rows[0]).toEqual({ status: 'settled', fence_token: fresh.fencingToken });
    await fresh.release();
  });

  it('Redis fenced set: an equal token (the holder writes again) is accepted, a lower one refused', async () => {
    const key = `keel:test:fenced:{${process.pid}}`;
    expect(await fencedSet(redis, key, 'v10', 10)).toBe(true);
    expect(await fencedSet(redis, key, 'v10-again', 10)).toBe(true);
    expect(await redis.get(key)).toBe('v10-again');
    expect(await fencedSet(redis, key, 'v9', 9)).toBe(false);
    expect(await redis.get(key)).toBe('v10-again');
    expect(await fencedSet(redis, key, 'v11', 11)).toBe(true);
    expect(await fencedSet(redis, key, 'v10-late', 10)).toBe(false);
    expect(await redis.get(key)).toBe('v11');
    await redis.del(key, `${key}:fences`);
  });

  it('releases after the method settles: 20 concurrent read-then-write transactions lose nothing', async () => {
    const ledger = ctx.app.get(Ledger);
    await Promise.all(Array.from({ length: 20 }, () => ledger.addOne(2)));
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT amount FROM \`${table}\` WHERE id = 2`,
    );
    expect(rows[0].amount).toBe(20);
  });
});
