import { Injectable } from '@nestjs/common';
import { KeelConfigError } from './core.errors';
import { importedTwice } from './core.messages';

/**
 * One per application (KeelCoreModule's). A lib module that must exist once per app (one
 * /metrics route, one HTTP timer) claims its name when Nest creates it; a second instance,
 * from a second `forRoot()` in a feature module, fails the boot instead of double counting.
 */
@Injectable()
export class KeelModuleClaims {
  private readonly claimed = new Map<string, string>();

  /** `detail` tells the two imports apart in the error (e.g. `service "payments"`). */
  claim(moduleName: string, detail: string, consequence: string): void {
    const first = this.claimed.get(moduleName);
    if (first !== undefined) {
      throw new KeelConfigError(importedTwice(moduleName, first, detail, consequence));
    }
    this.claimed.set(moduleName, detail);
  }
}
