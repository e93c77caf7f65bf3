import { Logger } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * kafkajs logs every error response of a request at ERROR, also the ones it then retries and
 * gets past ("The coordinator is loading", "does not host this topic-partition" on a first boot).
 * What it does not get past reaches Keel as a thrown error, which Keel reports (a consumer's
 * crash and restart, a ProducerError): so these lines are debug, not errors.
 */
function isRequestError(namespace: string | undefined, message: string): boolean {
  return namespace === 'Connection' && message.startsWith('Response ');
}

/**
 * A consumer's crash and kafkajs' restart of it, both logged at ERROR even when the error is
 * retriable and passes by itself. Keel's consumers report their crashes (listener container,
 * DLT replayer) at the level they deserve, so these copies are debug.
 */
function isConsumerCrash(namespace: string | undefined, message: string): boolean {
  return (
    namespace === 'Consumer' &&
    (message.startsWith('Crash: ') || message.startsWith('Restarting the consumer'))
  );
}

/** Routes kafkajs logs through Nest's logger (warn and error only by default). */
export const kafkaLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, namespace, log }) => {
    const { message, ...extra } = log;
    // kafkajs logs some lines without a namespace: no "undefined:" prefix for them
    const line = `${namespace ? `${namespace}: ` : ''}${message} ${JSON.stringify(extra)}`;
    if (isRequestError(namespace, message) || isConsumerCrash(namespace, message))
      logger.debug(line);
    else if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else logger.debug(line);
  };
};
