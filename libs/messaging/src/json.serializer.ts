import { MessageValidationError } from './messaging.errors';
import type { MessageSerializer } from './messaging.options';

/** JSON both ways; a Buffer is sent as is, `null` is a tombstone. */
export const jsonSerializer: MessageSerializer = {
  serialize(value: unknown): Buffer | string | null {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value;
    return JSON.stringify(value);
  },
  deserialize(value: Buffer | null): unknown {
    if (value === null) return null;
    try {
      // toString() without an encoding is utf8 on Node's fast path (naming it costs a lookup)
      return JSON.parse(value.toString()) as unknown;
    } catch (err) {
      throw new MessageValidationError(`payload is not JSON (${(err as Error).message})`, {
        cause: err,
      });
    }
  },
};
