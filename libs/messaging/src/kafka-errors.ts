// A Kafka error as Keel reports it: its message, plus a hint where the message alone misleads.

// What a KRaft controller listener answers a client: it speaks Kafka's protocol, not the APIs
// a producer or consumer asks for.
const UNSUPPORTED_VERSION = /does not support the requested API version/i;

/** `err`'s message, naming the brokers and the likely fix when it is the controller-port trap. */
export function explainKafkaError(err: unknown, brokers: readonly string[]): string {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (!UNSUPPORTED_VERSION.test(message)) return message;
  return (
    `${message} (at ${brokers.join(', ') || 'the configured brokers'}: is that a KRaft controller listener? Controllers ` +
    "answer clients like this. Point `brokers` at the brokers' client listener, often :9092)"
  );
}
