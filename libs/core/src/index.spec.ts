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
        'MAX_REQUEST_ID_LENGTH',
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
        'runWithContext',
        'sanitizeRequestId',
        'setContextSlot',
      ].sort(),
    );
  });
});
