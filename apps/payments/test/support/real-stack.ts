import type { PaymentsConfig } from '../../src/config/payments.config';
import { stackEnv } from '../../../../test/support/stack-env';

/** The payments app's settings on the local stack (MariaDB's test database), any free port. */
export const realStack: PaymentsConfig = {
  port: 0,
  redisUrl: stackEnv.redisUrl,
  kafkaBrokers: stackEnv.kafkaBrokers,
  mariadbUrl: stackEnv.mariadbUrl,
  healthTimeoutMs: 2000,
  drainMs: 0,
  prettyLogs: false,
};
