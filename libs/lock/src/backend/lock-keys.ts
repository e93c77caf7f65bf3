/**
 * Redis key names for a lock name. The name sits in a hash tag so that a name's lock, fence and
 * queue keys land in one Cluster slot and one script may touch them all.
 */
export class LockKeys {
  readonly channel: string;

  constructor(readonly prefix: string) {
    this.channel = `${prefix}released`;
  }

  lock(name: string): string {
    return `${this.prefix}{${name}}`;
  }

  fence(name: string): string {
    return `${this.prefix}{${name}}:fence`;
  }

  /** lock, fence, queue, queue timeouts, waiting mark of every name: ACQUIRE's KEYS. */
  acquireKeys(names: readonly string[]): string[] {
    const keys: string[] = [];
    for (const name of names) {
      const base = `${this.prefix}{${name}}`;
      keys.push(base, `${base}:fence`, `${base}:q`, `${base}:qt`, `${base}:w`);
    }
    return keys;
  }

  /** lock, queue, waiting mark of every name: RELEASE's KEYS. */
  releaseKeys(names: readonly string[]): string[] {
    const keys: string[] = [];
    for (const name of names) {
      const base = `${this.prefix}{${name}}`;
      keys.push(base, `${base}:q`, `${base}:w`);
    }
    return keys;
  }

  lockKeys(names: readonly string[]): string[] {
    return names.map((n) => `${this.prefix}{${n}}`);
  }

  queueKeys(names: readonly string[]): string[] {
    const keys: string[] = [];
    for (const name of names) {
      const base = `${this.prefix}{${name}}`;
      keys.push(`${base}:q`, `${base}:qt`);
    }
    return keys;
  }
}
