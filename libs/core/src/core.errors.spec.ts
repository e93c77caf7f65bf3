import { KeelConfigError, KeelError, KeyResolutionError, KeyTemplateError } from './core.errors';

describe('Keel errors', () => {
  it('names the concrete class and keeps the prototype chain', () => {
    class LockNotAcquiredError extends KeelError {}
    const err = new LockNotAcquiredError('busy', { code: 'LOCK_BUSY' });

    expect(err.name).toBe('LockNotAcquiredError');
    expect(err.code).toBe('LOCK_BUSY');
    expect(err).toBeInstanceOf(LockNotAcquiredError);
    expect(err).toBeInstanceOf(KeelError);
    expect(err).toBeInstanceOf(Error);
    expect(err.stack).toContain('LockNotAcquiredError: busy');
  });

  it('defaults the code and leaves cause unset when none is given', () => {
    const err = new KeelError('x');
    expect(err.code).toBe('KEEL_ERROR');
    expect('cause' in err).toBe(false);
  });

  it('keeps the cause', () => {
    const root = new Error('socket closed');
    const err = new KeelConfigError('bad redis url', { cause: root });
    expect(err.cause).toBe(root);
    expect(err.code).toBe('KEEL_CONFIG');
    expect(err.name).toBe('KeelConfigError');
  });

  it('gives each subclass its own code', () => {
    expect(new KeyTemplateError('m').code).toBe('KEEL_KEY_TEMPLATE');
    expect(new KeyTemplateError('m')).toBeInstanceOf(KeelError);
    const res = new KeyResolutionError({
      className: 'PaymentService',
      methodName: 'capture',
      template: 'pay:{0.id}',
      path: '{0.id}',
      reason: 'the value is undefined',
    });
    expect(res.code).toBe('KEEL_KEY_RESOLUTION');
    expect(res.name).toBe('KeyResolutionError');
    expect(res.message).toContain('PaymentService.capture()');
    expect(res.message).toContain('pay:{0.id}');
    expect(res.message).toContain('at {0.id}');
    expect(res.path).toBe('{0.id}');
  });
});
