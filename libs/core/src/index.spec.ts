import * as core from './index';
import * as internal from './internal';

describe('@keel/core public API', () => {
  it('exports exactly the curated runtime values an app may use', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'KeelConfigError',
        'KeelCoreModule',
        'KeelError',
        'KeyResolutionError',
        'KeyTemplateError',
        'REQUEST_ID_HEADER',
        'TRACEPARENT_HEADER',
        'assignContext',
        'createKeelDecorator',
        'formatTraceparent',
        'getContext',
        'isCardLikeNumber',
        'luhnValid',
        'maskCardNumbers',
        'newSpanId',
        'newTraceId',
        'parseTraceparent',
        'runWithContext',
        'sanitizeRequestId',
        'withinBudget',
      ].sort(),
    );
  });

  it("keeps the libs' plumbing in @keel/core/internal, each symbol on one path only", () => {
    expect(Object.keys(internal).sort()).toEqual(
      [
        'FastCounter',
        'FastCounterChild',
        'FastHistogram',
        'FastHistogramChild',
        'HandlerDiscoveryService',
        'KEEL_CONSUMER_STATUS',
        'KeelMethodRegistry',
        'KeelModuleClaims',
        'compileKeyTemplate',
        'connectionProblem',
        'describeValue',
        'getContextSlot',
        'getKeelDecoratorOrder',
        'getOriginalMethod',
        'hasKeelDecorators',
        'incomingTrace',
        'incomingTraceContext',
        'isSecurityCodeKey',
        'isThenable',
        'isTrampoline',
        'keelDeadlines',
        'monotonicMs',
        'numberHint',
        'outgoingTraceparent',
        'registerFastMetric',
        'rejectUnknownOptions',
        'runInNewSpan',
        'runInRootSpan',
        'setContextSlot',
        'trackConnectionErrors',
      ].sort(),
    );
    const both = Object.keys(internal).filter((name) => name in core);
    expect(both).toEqual([]);
  });
});
