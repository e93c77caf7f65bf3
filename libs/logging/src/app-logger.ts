import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

/**
 * Makes the Keel logger Nest's own logger (boot messages, exceptions) and flushes what Nest
 * buffered before it existed. Create the app with `{ bufferLogs: true }` so nothing is lost.
 */
export function useKeelLogger(app: INestApplication | INestApplicationContext): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
}
