import { Injectable, Logger } from '@nestjs/common';
import { lateControllerWrap } from './core.messages';
import type { DiscoveredMethod, MethodLayer } from './discovered-method';
import { addMethodLayer } from './method-chain';

/**
 * Where lib explorers register their layers. Composition happens here, once per
 * registration; a call only runs the already-composed chain.
 */
@Injectable()
export class KeelMethodRegistry {
  private readonly logger = new Logger('KeelMethodRegistry');

  /**
   * Wraps `handler`'s method on its instance with `layer`, placed by the method's decorator
   * order. Adding the same decorator key again on the same instance and method replaces the
   * earlier layer rather than wrapping twice.
   */
  addLayer<T>(handler: DiscoveredMethod<T>, layer: MethodLayer<T>): void {
    const installedNow = addMethodLayer(handler, layer);
    if (installedNow && handler.isController) {
      this.logger.warn(
        lateControllerWrap(handler.className, handler.methodName, String(handler.metadataKey)),
      );
    }
  }
}
