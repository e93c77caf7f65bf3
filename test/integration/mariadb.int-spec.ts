import { createConnection } from 'mysql2/promise';
import { stackEnv, uniqueName } from '../support/stack-env';

describe('stack: MariaDB (integration)', () => {
  it('creates a table, inserts and selects in keel_test', async () => {
    const conn = await createConnection({ uri: stackEnv.mariadbUrl, connectTimeout: 3000 });
    const table = uniqueName('stack').replace(/\W/g, '_');
    try {
      await conn.query(
        `CREATE TABLE \`${table}\` (id INT PRIMARY KEY AUTO_INCREMENT, amount BIGINT NOT NULL, currency CHAR(3) NOT NULL)`,
      );
      await conn.execute(`INSERT INTO \`${table}\` (amount, currency) VALUES (?, ?), (?, ?)`, [
        1250,
        'EUR',
        99,
        'USD',
      ]);
      const [rows] = await conn.query(`SELECT amount, currency FROM \`${table}\` ORDER BY id`);
      expect(rows).toEqual([
        { amount: 1250, currency: 'EUR' },
        { amount: 99, currency: 'USD' },
      ]);
    } finally {
      await conn.query(`DROP TABLE IF EXISTS \`${table}\``);
      await conn.end();
    }
  });
});
