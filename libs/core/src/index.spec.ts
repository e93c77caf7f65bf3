import * as core from './index';

describe('@keel/core public API', () => {
  it('exports exactly the curated runtime values', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'FastCounter',
        'FastCounterChild',
        'FastHistogram',
        'FastHistogramChild',
        'HandlerDiscoveryService',
        'KEEL_CONSUMER_STATUS',
        'KeelConfigError',
        'KeelCoreModule',
        'KeelError',
        'KeelMethodRegistry',
        'KeyResolutionError',
        'KeyTemplateError',
        'REQUEST_ID_HEADER',
        'TRACEPARENT_HEADER',
        'assignContext',
        'compileKeyTemplate',
        'createKeelDecorator',
        'formatTraceparent',
        'getContext',
        'getContextSlot',
        'getKeelDecoratorOrder',
        'getOriginalMethod',
        'hasKeelDecorators',
        'incomingTrace',
        'incomingTraceContext',
        'isCardLikeNumber',
        'isTrampoline',
        'luhnValid',
        'maskCardNumbers',
        'newSpanId',
        'newTraceId',
        'outgoingTraceparent',
        'parseTraceparent',
        'registerFastMetric',
        'runInNewSpan',
        'runWithContext',
        'sanitizeRequestId',
        'setContextSlot',
      ].sort(),
    );
  });
});
