/**
 * Redis key names for a lock name. The name sits in a hash tag so that a name's lock, fence and
 * queue keys land in one Cluster slot and one script may touch them all.
 */
export class LockKeys {
  readonly channel: string;

  constructor(readonly prefix: string) {
    this.channel = `${prefix}released`;
  }

  /** The channel of one process's waiters (see owner-token.ts), named after its tag. */
  inbox(processTag: string): string {
    return `${this.channel}:${processTag}`;
  }

  lock(name: string): string {
    return `${this.prefix}{${name}}`;
  }

  fence(name: string): string {
    return `${this.prefix}{${name}}:fence`;
  }

  /** lock, fence, queue, queue timeouts of every name: ACQUIRE's KEYS. */
  acquireKeys(names: readonly string[]): string[] {
    const keys: string[] = [];
    for (const name of names) {
      const base = `${this.prefix}{${name}}`;
      keys.push(base, `${base}:fence`, `${base}:q`, `${base}:qt`);
    }
    return keys;
  }

  lockKeys(names: readonly string[]): string[] {
    return names.map((n) => `${this.prefix}{${n}}`);
  }

  /** lock, queue, queue timeouts of every name: LEAVE's KEYS. */
  leaveKeys(names: readonly string[]): string[] {
    const keys: string[] = [];
    for (const name of names) {
      const base = `${this.prefix}{${name}}`;
      keys.push(base, `${base}:q`, `${base}:qt`);
    }
    return keys;
  }

  /**
   * Parses a release announcement: "<lock key>\n<waiter>[\n<fence>]" (see lock.scripts.ts), the
   * key as Redis saw it, so with the client's own keyPrefix, if any, in front. Null when it is
   * not one of ours. Waiter ids never hold a newline and are never all digits.
   */
  announcement(
    message: string,
    clientPrefix = '',
  ): { name: string; next: string; fence?: number } | null {
    const last = message.lastIndexOf('\n');
    const tail = message.slice(last + 1);
    const granted = /^\d+$/.test(tail);
    // the lock key ends at the newline before the waiter
    const cut = granted ? message.lastIndexOf('\n', last - 1) : last;
    const start = clientPrefix.length + this.prefix.length + 1;
    if (
      cut < start ||
      message.charCodeAt(cut - 1) !== 0x7d || // '}'
      !message.startsWith(clientPrefix + this.prefix + '{')
    ) {
      return null;
    }
    const name = message.slice(start, cut - 1);
    if (!granted) return { name, next: tail };
    return { name, next: message.slice(cut + 1, last), fence: Number(tail) };
  }
}
