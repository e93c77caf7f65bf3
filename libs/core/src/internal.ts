// @keel/core/internal: plumbing shared by Keel's libs (discovery, method layers, fast metrics,
// option checks, context slots, the monotonic clock and the process's one deadline timer). Not
// for apps: it may change in any release.
export { HandlerDiscoveryService, type DiscoveredClassMethod } from './handler-discovery.service';
export { KeelMethodRegistry } from './method-registry.service';
export { KeelModuleClaims } from './module-claims';
export type { AnyFn, DiscoveredMethod, MethodLayer } from './discovered-method';
export {
  getKeelDecoratorOrder,
  hasKeelDecorators,
  type KeelDecoratorOwner,
} from './keel-decorator';
export { getOriginalMethod, isTrampoline } from './method-chain';
export {
  compileKeyTemplate,
  type KeyFunction,
  type KeyResolver,
  type KeyTemplateTarget,
} from './key-template';
export { getContextSlot, runInNewSpan, runInRootSpan, setContextSlot } from './keel-context';
export {
  incomingTrace,
  incomingTraceContext,
  outgoingTraceparent,
  type IncomingTraceContext,
} from './trace-headers';
export { isThenable } from './thenable';
export { keelDeadlines, type Deadline } from './deadline-timer';
export { monotonicMs } from './monotonic-clock';
export { isSecurityCodeKey } from './security-code-keys';
export {
  connectionProblem,
  trackConnectionErrors,
  type RedisClientLike,
} from './redis-connection-problem';
export { describeValue, numberHint, rejectUnknownOptions } from './option-checks';
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
