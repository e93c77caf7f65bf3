// The public API of @keel/core: what an app may use. Plumbing for Keel's own libs is in
// @keel/core/internal.
export { KeelCoreModule } from './keel-core.module';
export { createKeelDecorator, type MetadataKey } from './keel-decorator';
export { type KeySource } from './key-template';
export {
  assignContext,
  getContext,
  runWithContext,
  type KeelContext,
  type KeelContextInit,
} from './keel-context';
export {
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  type TraceParent,
} from './traceparent';
export { REQUEST_ID_HEADER, sanitizeRequestId, TRACEPARENT_HEADER } from './trace-headers';
export { isCardLikeNumber, luhnValid, maskCardNumbers } from './card-numbers';
export { withinBudget } from './time-budget';
export {
  KeelConfigError,
  KeelError,
  KeyResolutionError,
  KeyTemplateError,
  type KeelErrorOptions,
  type KeyResolutionErrorDetails,
} from './core.errors';
