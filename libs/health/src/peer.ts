import { KeelConfigError } from '@keel/core';

/**
 * Loads an optional peer package, or fails the boot saying which package to install.
 * `load` must be a literal `() => require('name')` so bundlers (Nest's webpack build) see it.
 */
export function loadPeer<T>(load: () => unknown, name: string, usedFor: string): T {
  try {
    return load() as T;
  } catch {
    throw new KeelConfigError(
      `HealthModule: ${usedFor} needs the package "${name}"; install it with npm install ${name}`,
    );
  }
}
