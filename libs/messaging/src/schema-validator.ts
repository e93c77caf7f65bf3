import type { Type } from '@nestjs/common';
import { MessageValidationError, MissingPackageError } from './messaging.errors';
import type { MessageSchema } from './messaging.options';

type ClassValidator = typeof import('class-validator');
type ClassTransformer = typeof import('class-transformer');

export type PayloadValidator = (payload: unknown) => Promise<unknown>;

// Optional peers: loaded only when a listener uses a class schema. `load` is a literal
// `() => require('name')` so that bundlers (Nest's webpack build) can see the package.
function load<T>(pkg: string, load: () => unknown): T {
  try {
    return load() as T;
  } catch {
    throw new MissingPackageError(pkg, 'A @KafkaListener schema class');
  }
}

function isClass(fn: MessageSchema): fn is Type<object> {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** Turns a schema into one async check that returns the valid payload or throws. */
export function compileSchema(schema: MessageSchema): PayloadValidator {
  if (!isClass(schema)) {
    const fn = schema;
    return async (payload) => {
      try {
        return await fn(payload);
      } catch (err) {
        if (err instanceof MessageValidationError) throw err;
        throw new MessageValidationError((err as Error)?.message ?? String(err), { cause: err });
      }
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validate } = load<ClassValidator>('class-validator', () => require('class-validator'));
  const { plainToInstance } = load<ClassTransformer>('class-transformer', () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('class-transformer'),
  );
  return async (payload) => {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new MessageValidationError(`payload must be an object for ${schema.name}`);
    }
    const instance = plainToInstance(schema, payload);
    const errors = await validate(instance);
    if (errors.length > 0) {
      const reasons = errors.flatMap((e) =>
        Object.values(e.constraints ?? { [e.property]: 'invalid' }),
      );
      throw new MessageValidationError(`${schema.name}: ${reasons.join('; ')}`);
    }
    return instance;
  };
}
