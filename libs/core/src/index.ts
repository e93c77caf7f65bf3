// The whole public API of @keel/core.
export { KeelCoreModule } from './keel-core.module';
export { HandlerDiscoveryService, type DiscoveredClassMethod } from './handler-discovery.service';
export { KeelMethodRegistry } from './method-registry.service';
export { KeelModuleClaims } from './module-claims';
export type { AnyFn, DiscoveredMethod, MethodLayer } from './discovered-method';
export {
  createKeelDecorator,
  getKeelDecoratorOrder,
  hasKeelDecorators,
  type KeelDecoratorOwner,
  type MetadataKey,
} from './keel-decorator';
export { getOriginalMethod, isTrampoline } from './method-chain';
export {
  compileKeyTemplate,
  type KeyFunction,
  type KeyResolver,
  type KeySource,
  type KeyTemplateTarget,
} from './key-template';
export {
  assignContext,
  getContext,
  getContextSlot,
  runInNewSpan,
  runInRootSpan,
  runWithContext,
  setContextSlot,
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
export {
  incomingTrace,
  incomingTraceContext,
  outgoingTraceparent,
  REQUEST_ID_HEADER,
  sanitizeRequestId,
  TRACEPARENT_HEADER,
  type IncomingTraceContext,
} from './trace-headers';
export { isCardLikeNumber, luhnValid, maskCardNumbers } from './card-numbers';
export { isThenable } from './thenable';
export { describeValue, numberHint, rejectUnknownOptions } from './option-checks';
export { withinBudget } from './time-budget';
export {
  KeelConfigError,
  KeelError,
  KeyResolutionError,
  KeyTemplateError,
  type KeelErrorOptions,
  type KeyResolutionErrorDetails,
} from './core.errors';
export {
  KEEL_CONSUMER_STATUS,
  type KeelConsumerState,
  type KeelConsumerStatusSource,
} from './consumer-status';
export {
  FastCounter,
  FastCounterChild,
  FastHistogram,
  FastHistogramChild,
  registerFastMetric,
} from './fast-metrics';
