import { LockArgumentError } from '../lock.errors';

export interface SqlFenceGuard {
  /**
   * SQL fragment for an UPDATE's WHERE clause, e.g. `fence_token <= ?`: the holder of a token may
   * write again under it; a lower token (an older holder) is refused.
   */
  readonly condition: string;
  /** Value to bind for the placeholder. */
  readonly params: readonly [number];
  /** Column assignment that stores the token, e.g. `fence_token = ?`. */
  readonly assignment: string;
}

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A fencing guard for SQL writes: the write only lands if no newer holder wrote first. A write
 * under the same token as the last one lands (the same holder writing twice); a lower one does not.
 *
 *   const g = sqlFence(handle.fencingToken);
 *   UPDATE payments SET status = ?, ${g.assignment} WHERE id = ? AND ${g.condition}
 *   -- bind: status, g.params[0], id, g.params[0]; 0 affected rows = a stale holder, abort.
 */
export function sqlFence(token: number, column = 'fence_token'): SqlFenceGuard {
  if (!Number.isSafeInteger(token) || token <= 0) {
    throw new LockArgumentError(`sqlFence: token must be a positive integer, got ${String(token)}`);
  }
  if (!COLUMN.test(column)) {
    throw new LockArgumentError(
      `sqlFence: column must be a plain identifier, got ${JSON.stringify(column)}`,
    );
  }
  return { condition: `${column} <= ?`, params: [token], assignment: `${column} = ?` };
}
