// Where the integration tests find the real servers started by scripts/stack.sh.
export const stackEnv = {
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  redlockPorts: [6381, 6382, 6383],
  kafkaBrokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(','),
  mariadbUrl: process.env.MARIADB_TEST_URL || 'mysql://root@127.0.0.1:3306/keel_test',
  postgresUrl: process.env.POSTGRES_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test',
};

/** A name unique to this test run, for topics, groups, keys and tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
