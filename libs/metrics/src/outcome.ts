/** Outcome of a method call, as the `outcome` label of @Timed and @Counted. */
export type MethodOutcome = 'SUCCESS' | 'ERROR';

/** Outcome of an HTTP request by status class, as Micrometer names them. */
export type HttpOutcome =
  'INFORMATIONAL' | 'SUCCESS' | 'REDIRECTION' | 'CLIENT_ERROR' | 'SERVER_ERROR' | 'UNKNOWN';

export function httpOutcome(status: number): HttpOutcome {
  if (status >= 100 && status < 200) return 'INFORMATIONAL';
  if (status >= 200 && status < 300) return 'SUCCESS';
  if (status >= 300 && status < 400) return 'REDIRECTION';
  if (status >= 400 && status < 500) return 'CLIENT_ERROR';
  if (status >= 500 && status < 600) return 'SERVER_ERROR';
  return 'UNKNOWN';
}

/**
 * The `exception` label of a thrown value: its class name (`PaymentDeclinedError`,
 * `NotFoundException`), or the type of a thrown primitive (`string`), never its message.
 */
export function exceptionName(err: unknown): string {
  if (err === null || err === undefined) return String(err);
  if (typeof err !== 'object' && typeof err !== 'function') return typeof err;
  const ctor = (err as { constructor?: { name?: unknown } }).constructor;
  if (typeof ctor?.name === 'string' && ctor.name !== '') return ctor.name;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}
