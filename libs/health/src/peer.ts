import { KeelConfigError } from '@keel/core';

/** Loads an optional peer package, or fails the boot saying which package to install. */
export function loadPeer<T>(name: string, usedFor: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch {
    throw new KeelConfigError(
      `HealthModule: ${usedFor} needs the package "${name}"; install it with npm install ${name}`,
    );
  }
}
