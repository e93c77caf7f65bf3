import { randomFillSync } from 'node:crypto';
import { KeelError } from './core.errors';

/** The fields of a W3C `traceparent` header. */
export interface TraceParent {
  version: string;
  traceId: string;
  /** The header's parent-id: the caller's span. */
  spanId: string;
  traceFlags: string;
}

const HEADER = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const FLAGS = /^[0-9a-f]{2}$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Parses a `traceparent` header per W3C Trace Context; `null` for anything invalid, so a bad
 * header from a caller just starts a new trace.
 */
export function parseTraceparent(header: unknown): TraceParent | null {
  if (typeof header !== 'string') return null;
  const match = HEADER.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, spanId, traceFlags, rest] = match;
  // Version ff is forbidden; version 00 allows nothing after the flags.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { version, traceId, spanId, traceFlags };
}

/** Formats a version-00 `traceparent`; throws on ids that a receiver would reject. */
export function formatTraceparent(parts: {
  traceId: string;
  spanId: string;
  traceFlags?: string;
}): string {
  const flags = parts.traceFlags ?? '01';
  const valid =
    TRACE_ID.test(parts.traceId) &&
    parts.traceId !== ZERO_TRACE &&
    SPAN_ID.test(parts.spanId) &&
    parts.spanId !== ZERO_SPAN &&
    FLAGS.test(flags);
  if (!valid) {
    throw new KeelError(
      `Cannot format traceparent from traceId "${parts.traceId}", spanId "${parts.spanId}", ` +
        `flags "${flags}": ids must be non-zero lowercase hex (32 and 16 chars), flags 2 hex ` +
        'chars. Use newTraceId()/newSpanId() or ids from parseTraceparent().',
      { code: 'KEEL_TRACE_CONTEXT' },
    );
  }
  return `00-${parts.traceId}-${parts.spanId}-${flags}`;
}

/** A random 16-byte trace id as 32 lowercase hex chars. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A random 8-byte span id as 16 lowercase hex chars. */
export function newSpanId(): string {
  return randomHex(8);
}

// One randomFillSync and one hex conversion per 4 KB, then a substring per id: ids are made per
// message, and a hex conversion per id measured about twice the cost; a 1 KB pool spent a fifth
// of a message's id cost refilling. (A kept id keeps its 8 KB pool string alive: small, and ids
// are kept rarely.)
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolHex = '';
let hexOffset = 0;

function randomHex(bytes: number): string {
  const chars = bytes * 2;
  // All zeros is the invalid id; vanishingly rare, but cheap to rule out.
  for (;;) {
    if (hexOffset + chars > poolHex.length) {
      randomFillSync(pool);
      poolHex = pool.toString('hex');
      hexOffset = 0;
    }
    const hex = poolHex.slice(hexOffset, (hexOffset += chars));
    if (hex !== ZERO_TRACE && hex !== ZERO_SPAN) return hex;
  }
}
