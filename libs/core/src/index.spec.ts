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
        'assignContext',
        'compileKeyTemplate',
        'createKeelDecorator',
        'formatTraceparent',
        'getContext',
        'getContextSlot',
        'getKeelDecoratorOrder',
        'getOriginalMethod',
        'hasKeelDecorators',
        'isTrampoline',
        'newSpanId',
        'newTraceId',
        'parseTraceparent',
        'registerFastMetric',
        'runWithContext',
        'setContextSlot',
      ].sort(),
    );
  });
});
