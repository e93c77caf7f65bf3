import { jsonSerializer } from './json.serializer';
import { MessageValidationError } from './messaging.errors';

describe('jsonSerializer', () => {
  it('round-trips JSON, passes Buffers and keeps tombstones', () => {
    expect(jsonSerializer.serialize({ a: 1 })).toBe('{"a":1}');
    expect(jsonSerializer.serialize(null)).toBeNull();
    const raw = Buffer.from('raw');
    expect(jsonSerializer.serialize(raw)).toBe(raw);
    expect(jsonSerializer.deserialize(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(jsonSerializer.deserialize(null)).toBeNull();
  });

  it('rejects malformed payloads with a validation error', () => {
    expect(() => jsonSerializer.deserialize(Buffer.from('{oops'))).toThrow(MessageValidationError);
  });
});
